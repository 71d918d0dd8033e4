package org.orderly.api.order;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RejectOrderCommand(@TargetAggregateIdentifier OrderId orderId, String reason) {
}
