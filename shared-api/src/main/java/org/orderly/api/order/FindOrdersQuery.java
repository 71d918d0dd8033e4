package org.orderly.api.order;

import org.orderly.api.customer.CustomerId;

/**
 * One page of orders ordered by id. Answered with an {@link OrderPage}.
 *
 * @param customerId only this customer's orders, when not null
 * @param status     only orders in this status, when not null
 * @param after      the id of the last order of the previous page, or {@code null}
 */
public record FindOrdersQuery(CustomerId customerId, OrderStatus status, int limit, OrderId after) {
}
