package org.orderly.api.catalog;

import org.orderly.api.common.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param expectedVersion the version the client last saw, or {@code null} to skip the check */
public record ChangeProductPriceCommand(@TargetAggregateIdentifier ProductId productId, Money price, @TargetAggregateVersion Long expectedVersion) {
}
