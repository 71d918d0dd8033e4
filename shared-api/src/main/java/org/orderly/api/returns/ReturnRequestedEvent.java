package org.orderly.api.returns;

import java.util.List;

import org.axonframework.serialization.Revision;
import org.orderly.api.order.OrderId;

/** Always followed, in the same transaction, by {@link ReturnApprovedEvent} or {@link ReturnRejectedEvent}. */
@Revision("1")
public record ReturnRequestedEvent(ReturnId returnId, OrderId orderId, List<ReturnLine> lines, String reason) {
}
