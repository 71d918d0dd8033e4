package org.orderly.api.customer;

import org.orderly.api.common.Money;

/** @param version the sequence number of the last event applied, to be sent back in {@code If-Match} */
public record CustomerView(CustomerId customerId, String email, String name, CustomerStatus status, Money creditLimit,
                           long version) {
}
