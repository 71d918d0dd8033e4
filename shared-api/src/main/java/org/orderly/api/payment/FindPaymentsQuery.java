package org.orderly.api.payment;

import org.orderly.api.order.OrderId;

/**
 * One page of payments ordered by id. Answered with a {@link PaymentPage}.
 *
 * @param orderId only this order's payments when not {@code null}
 * @param limit   the page size, already capped by the caller
 * @param after   the id of the last payment of the previous page, or {@code null} for the first page
 */
public record FindPaymentsQuery(OrderId orderId, int limit, PaymentId after) {
}
