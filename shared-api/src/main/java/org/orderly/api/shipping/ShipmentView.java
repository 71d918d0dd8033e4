package org.orderly.api.shipping;

import java.util.List;

import org.orderly.api.order.OrderId;

/** @param version the sequence number of the last event applied, to be sent back in {@code If-Match} */
public record ShipmentView(ShipmentId shipmentId, OrderId orderId, ShipmentStatus status, List<ShipmentItem> items,
                           long version) {
}
