package org.orderly.api.shipping;

import java.util.List;

import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

/** The weights in {@code items} are a snapshot: later changes to a product never reach this shipment. */
@Revision("1")
public record ShipmentCreatedEvent(ShipmentId shipmentId, OrderId orderId, List<ShipmentItem> items) {
}
