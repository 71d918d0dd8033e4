package org.orderly.api.catalog;


/** Answered with a {@link ProductView}, or {@code null} when the read model has no such product. */
public record FindProductQuery(ProductId productId) {
}
