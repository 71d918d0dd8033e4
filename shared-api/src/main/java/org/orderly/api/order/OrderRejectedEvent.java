package org.orderly.api.order;

import org.orderly.api.customer.CustomerId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrderRejectedEvent(OrderId orderId, CustomerId customerId, String reason) {
}
