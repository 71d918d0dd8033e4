package org.orderly.api.inventory;

import org.axonframework.serialization.Revision;
import org.orderly.api.catalog.ProductId;

@Revision("1")
public record StockReceivedEvent(ProductId productId, int quantity) {
}
