package org.orderly.api.order;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record MarkOrderDeliveredCommand(@TargetAggregateIdentifier OrderId orderId) {
}
