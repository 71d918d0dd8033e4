package org.orderly.api.returns;

import java.time.Instant;
import java.util.List;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderStatus;

/**
 * The returns domain's own copy of an order, as a return request needs it: what was delivered, when, at which
 * prices, and how much of it approved returns already claim.
 *
 * @param customerId  who placed the order, so that nobody else may return it; {@code null} when the copy has no
 *                    such order or was made before it recorded the customer
 * @param status      {@code null} when the copy has no such order
 * @param deliveredAt when the order was delivered, or {@code null} before
 * @param upToDate    whether the copy had applied every event stored before the question was asked
 */
public record ReturnableOrder(OrderId orderId, CustomerId customerId, OrderStatus status, Instant deliveredAt,
                              List<Line> lines, boolean upToDate) {

    /**
     * @param delivered units of the product the order delivered
     * @param returned  units that approved (not rejected) returns of the order already claim
     */
    public record Line(ProductId productId, int delivered, int returned, Money unitPrice) {
    }
}
