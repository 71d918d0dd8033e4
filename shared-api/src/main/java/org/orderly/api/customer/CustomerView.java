package org.orderly.api.customer;

/** @param version the sequence number of the last event applied, to be sent back in {@code If-Match} */
public record CustomerView(CustomerId customerId, String email, String name, CustomerStatus status, long version) {
}
