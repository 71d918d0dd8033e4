package org.orderly.api.shipping;

import java.util.List;

import org.orderly.api.order.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates the shipment of an order. The shipping domain resolves each line's weight itself when it creates
 * the shipment, so the sender needs to know nothing about weights. Sending it again for a shipment that
 * exists is a no-op.
 */
public record CreateShipmentCommand(@TargetAggregateIdentifier ShipmentId shipmentId, OrderId orderId,
                                    List<ShipmentLine> lines) {
}
