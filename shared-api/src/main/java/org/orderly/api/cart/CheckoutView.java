package org.orderly.api.cart;

import java.time.Instant;
import java.util.List;

import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderId;

/**
 * A checkout session as the read model holds it.
 *
 * @param lines          the cart's lines as they were when the session started
 * @param shippingCost   {@code null} until a shipping method is chosen
 * @param total          the items and the shipping cost ({@code null} while no shipping method is chosen)
 * @param orderId        the order, once confirmation asked for it
 * @param failureReason  why the order was refused or rejected, when FAILED
 */
public record CheckoutView(CheckoutId checkoutId, CartId cartId, CustomerId customerId, CheckoutStatus status,
                           List<CartLine> lines, Money itemsTotal, PostalAddress shippingAddress,
                           PostalAddress billingAddress, String shippingMethod, Money shippingCost, Money total,
                           OrderId orderId, String failureReason, Instant expiresAt, long version) {
}
