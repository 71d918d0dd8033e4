package org.orderly.api.catalog;


/** One page of products ordered by id; {@code status} filters when not null. Answered with a {@link ProductPage}. */
public record FindProductsQuery(int limit, ProductId after, ProductStatus status) {
}
