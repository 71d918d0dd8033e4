package org.orderly.api.customer;

/**
 * One of a customer's addresses as the read model holds it. A checkout copies {@link #address()} into its own
 * session as it is at that moment.
 *
 * @param defaultShipping whether it is the customer's default shipping address
 * @param defaultBilling  whether it is the customer's default billing address
 */
public record CustomerAddressView(CustomerId customerId, AddressId addressId, PostalAddress address,
                                  boolean defaultShipping, boolean defaultBilling) {
}
