package org.orderly.api.order;

import org.axonframework.serialization.Revision;
import org.orderly.api.customer.CustomerId;

@Revision("1")
public record OrderShippedEvent(OrderId orderId, CustomerId customerId) {
}
