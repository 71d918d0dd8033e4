package org.orderly.api.catalog;

import java.util.List;

/**
 * One page of products ordered by id. {@code status} filters when not null; {@code category} keeps the products
 * of that category and of every category under it; each of {@code attributes} must hold. Answered with a
 * {@link ProductPage}.
 */
public record FindProductsQuery(int limit, ProductId after, ProductStatus status, CategoryId category,
                                List<AttributeFilter> attributes) {

    public FindProductsQuery(int limit, ProductId after, ProductStatus status) {
        this(limit, after, status, null, List.of());
    }
}
