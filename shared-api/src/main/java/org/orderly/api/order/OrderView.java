package org.orderly.api.order;

import java.util.List;

import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * @param customerEmail   the order domain's cached copy of the customer's email, which follows changes
 * @param lines           with the name and unit price snapshotted at placement
 * @param total           the lines and the shipping cost
 * @param shippingAddress where an order placed from a checkout ships; {@code null} for an order placed directly,
 *                        and once the customer is erased
 * @param billingAddress  whom an order placed from a checkout bills; {@code null} as the shipping address is
 * @param shippingCost    what shipping an order placed from a checkout costs; {@code null} for one placed directly
 */
public record OrderView(OrderId orderId, CustomerId customerId, String customerEmail, OrderStatus status,
                        List<OrderLine> lines, Money total, List<OrderStatusChange> history, long version,
                        PostalAddress shippingAddress, PostalAddress billingAddress, Money shippingCost) {

    /** An order placed directly: no addresses, no shipping cost. */
    public OrderView(OrderId orderId, CustomerId customerId, String customerEmail, OrderStatus status,
                     List<OrderLine> lines, Money total, List<OrderStatusChange> history, long version) {
        this(orderId, customerId, customerEmail, status, lines, total, history, version, null, null, null);
    }
}
