package org.orderly.api.order;

import java.util.List;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrderPlacedEvent(OrderId orderId, CustomerId customerId, List<OrderLine> lines, Money total) {
}
