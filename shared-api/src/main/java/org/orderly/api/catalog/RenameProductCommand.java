package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param expectedVersion the version the client last saw, or {@code null} to skip the check */
public record RenameProductCommand(@TargetAggregateIdentifier ProductId productId, String name, @TargetAggregateVersion Long expectedVersion) {
}
