package org.orderly.api.catalog;

import java.util.List;

import org.orderly.api.common.Money;

/** @param categoryId null for a product in no category @param attributes by name */
public record ProductView(ProductId productId, String sku, String name, Money price, int weightGrams, ProductStatus status,
                          long version, CategoryId categoryId, List<ProductAttribute> attributes) {
}
