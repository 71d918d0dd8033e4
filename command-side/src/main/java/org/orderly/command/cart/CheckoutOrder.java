package org.orderly.command.cart;

import java.util.List;

import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderId;

/**
 * What a confirmed checkout session orders, as its confirmation answers it: the same for every confirmation of the
 * session, so a repeated confirmation places the same order.
 */
record CheckoutOrder(OrderId orderId, CartId cartId, CustomerId customerId, List<CartLine> lines,
                     PostalAddress shippingAddress, PostalAddress billingAddress, Money shippingCost) {
}
