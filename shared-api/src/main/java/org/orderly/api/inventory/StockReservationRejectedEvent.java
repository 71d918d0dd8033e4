package org.orderly.api.inventory;

import org.axonframework.serialization.Revision;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.order.OrderId;

/**
 * Not enough stock to reserve for the order: a business outcome other domains react to (the order is
 * rejected), so it is an event and not an error. Nothing was reserved.
 *
 * @param available what was available when the reservation was refused
 */
@Revision("1")
public record StockReservationRejectedEvent(ProductId productId, OrderId orderId, int requested, int available) {
}
