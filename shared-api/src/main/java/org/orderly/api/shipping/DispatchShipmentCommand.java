package org.orderly.api.shipping;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param expectedVersion the version the client last saw, or {@code null} to skip the check */
public record DispatchShipmentCommand(@TargetAggregateIdentifier ShipmentId shipmentId,
                                      @TargetAggregateVersion Long expectedVersion) {
}
