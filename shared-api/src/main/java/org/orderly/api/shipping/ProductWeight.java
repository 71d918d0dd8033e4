package org.orderly.api.shipping;

import org.orderly.api.catalog.ProductId;

public record ProductWeight(ProductId productId, int weightGrams) {
}
