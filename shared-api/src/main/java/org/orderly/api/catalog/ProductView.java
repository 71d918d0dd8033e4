package org.orderly.api.catalog;

import org.orderly.api.common.Money;

public record ProductView(ProductId productId, String sku, String name, Money price, int weightGrams, ProductStatus status, long version) {
}
