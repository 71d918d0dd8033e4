package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.orderly.api.common.Money;

/** @param expectedVersion the version the client last saw, or {@code null} to skip the check */
public record SetCustomerCreditLimitCommand(@TargetAggregateIdentifier CustomerId customerId, Money creditLimit,
                                            @TargetAggregateVersion Long expectedVersion) {
}
