package org.orderly.api.shipping;

import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ShipmentDeliveredEvent(ShipmentId shipmentId, OrderId orderId) {
}
