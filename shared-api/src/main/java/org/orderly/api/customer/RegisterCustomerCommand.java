package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterCustomerCommand(@TargetAggregateIdentifier CustomerId customerId, String email, String name) {
}
