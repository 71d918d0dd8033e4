package org.orderly.api.order;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record MarkOrderShippedCommand(@TargetAggregateIdentifier OrderId orderId) {
}
