package org.orderly.api.shipping;

/** Answered with a {@link ShipmentView}, or {@code null} when the read model has no such shipment. */
public record FindShipmentQuery(ShipmentId shipmentId) {
}
