package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.common.Money;

public record RegisterCustomerCommand(@TargetAggregateIdentifier CustomerId customerId, String email, String name,
                                      Money creditLimit) {
}
