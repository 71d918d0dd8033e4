package org.orderly.api.customer;

/**
 * Answered with the customer's {@link CustomerAddressBook}, or {@code null} when the read model has no such
 * customer or the asker may not see them.
 */
public record FindCustomerAddressesQuery(CustomerId customerId) {
}
