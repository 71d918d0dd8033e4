package org.orderly.api.customer;

/**
 * Answered with one {@link CustomerAddressView}, or {@code null} when the customer has no such address (or the
 * asker may not see the customer). What a checkout asks when the customer picks an address to copy.
 */
public record FindCustomerAddressQuery(CustomerId customerId, AddressId addressId) {
}
