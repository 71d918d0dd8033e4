package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.common.Money;

/** Sets how the session's order is shipped, at the cost that method has now. */
public record ChooseCheckoutShippingMethodCommand(@TargetAggregateIdentifier CheckoutId checkoutId, String method,
                                                  Money cost) {
}
