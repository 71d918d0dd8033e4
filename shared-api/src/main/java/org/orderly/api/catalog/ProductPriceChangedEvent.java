package org.orderly.api.catalog;

import org.orderly.api.common.Money;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ProductPriceChangedEvent(ProductId productId, Money price) {
}
