package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Forget the customer's personal data everywhere (the right to erasure); orders, payments and shipments stay. */
public record EraseCustomerCommand(@TargetAggregateIdentifier CustomerId customerId) {
}
