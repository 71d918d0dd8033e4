package org.orderly.api.customer;

/** Answered with a {@link CustomerView}, or {@code null} when the read model has no such customer. */
public record FindCustomerQuery(CustomerId customerId) {
}
