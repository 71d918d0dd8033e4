package org.orderly.api.catalog;

import org.orderly.api.common.Money;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ProductAddedEvent(ProductId productId, String sku, String name, Money price, int weightGrams) {
}
