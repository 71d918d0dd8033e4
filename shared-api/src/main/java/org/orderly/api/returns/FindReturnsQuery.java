package org.orderly.api.returns;

import org.orderly.api.order.OrderId;

/**
 * One page of returns ordered by id. Answered with a {@link ReturnPage}.
 *
 * @param orderId only this order's returns, when not null
 * @param after   the id of the last return of the previous page, or {@code null}
 */
public record FindReturnsQuery(OrderId orderId, int limit, ReturnId after) {
}
