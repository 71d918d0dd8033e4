package org.orderly.api.returns;

import org.axonframework.serialization.Revision;
import org.orderly.api.order.OrderId;

/** A request refused, or an approved return withdrawn because its goods never arrived. */
@Revision("1")
public record ReturnRejectedEvent(ReturnId returnId, OrderId orderId, String reason) {
}
