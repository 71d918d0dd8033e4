package org.orderly.api.order;

import java.util.List;
import org.orderly.api.customer.CustomerId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Lines carry the name and price snapshotted from the order domain's copies at placement. */
public record PlaceOrderCommand(@TargetAggregateIdentifier OrderId orderId, CustomerId customerId, List<OrderLine> lines) {
}
