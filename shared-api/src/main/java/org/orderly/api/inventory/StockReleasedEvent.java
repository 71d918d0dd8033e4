package org.orderly.api.inventory;

import org.axonframework.serialization.Revision;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.order.OrderId;

@Revision("1")
public record StockReleasedEvent(ProductId productId, OrderId orderId, int quantity) {
}
