package org.orderly.api.order;

import java.util.List;

import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;

/**
 * @param customerEmail the order domain's cached copy of the customer's email, which follows changes
 * @param lines         with the name and unit price snapshotted at placement
 */
public record OrderView(OrderId orderId, CustomerId customerId, String customerEmail, OrderStatus status,
                        List<OrderLine> lines, Money total, List<OrderStatusChange> history, long version) {
}
