package org.orderly.api.cart;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.PostalAddress;

/**
 * Sets the session's shipping or billing address to one of the customer's addresses, copied as it reads now: a
 * later change to the customer's address book does not reach the session.
 */
public record ChooseCheckoutAddressCommand(@TargetAggregateIdentifier CheckoutId checkoutId, AddressUse use,
                                           AddressId addressId, PostalAddress address) {
}
