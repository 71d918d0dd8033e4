package org.orderly.api.returns;

import org.orderly.api.order.OrderId;

/**
 * Answered with a {@link ReturnableOrder} from the returns domain's copy, after waiting (a little) for that copy
 * to catch up with the event store as it was when asked. Never {@code null}: an order the copy lacks has no status.
 */
public record FindReturnableOrderQuery(OrderId orderId) {
}
