package org.orderly.api.inventory;

import org.orderly.api.catalog.ProductId;

/** Answered with a {@link StockView}, or {@code null} when no stock was ever received for the product. */
public record FindStockQuery(ProductId productId) {
}
