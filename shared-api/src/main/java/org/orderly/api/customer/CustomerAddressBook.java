package org.orderly.api.customer;

import java.util.List;

/**
 * Every address of a customer, in the order they were added, and which are the defaults.
 *
 * @param defaultShipping the default shipping address, or {@code null} for none
 * @param defaultBilling  the default billing address, or {@code null} for none
 * @param version         the customer's version (the sequence number of the last event applied to them)
 */
public record CustomerAddressBook(CustomerId customerId, List<CustomerAddressView> addresses,
                                  AddressId defaultShipping, AddressId defaultBilling, long version) {

    public CustomerAddressBook {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
