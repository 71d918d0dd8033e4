package org.orderly.api.order;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record CancelOrderCommand(@TargetAggregateIdentifier OrderId orderId, String reason, @TargetAggregateVersion Long expectedVersion) {
}
