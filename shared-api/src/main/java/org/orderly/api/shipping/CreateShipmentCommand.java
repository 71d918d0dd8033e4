package org.orderly.api.shipping;

import java.util.List;

import org.orderly.api.order.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Items carry the weights copied from the shipping domain's product weights when the command was built. */
public record CreateShipmentCommand(@TargetAggregateIdentifier ShipmentId shipmentId, OrderId orderId,
                                    List<ShipmentItem> items) {
}
