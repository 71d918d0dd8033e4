package org.orderly.api.returns;

import org.axonframework.serialization.Revision;
import org.orderly.api.order.OrderId;

@Revision("1")
public record ReturnReceivedEvent(ReturnId returnId, OrderId orderId) {
}
