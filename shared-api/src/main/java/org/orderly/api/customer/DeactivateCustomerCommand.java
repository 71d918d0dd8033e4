package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** @param expectedVersion the version the client last saw, or {@code null} to skip the check */
public record DeactivateCustomerCommand(@TargetAggregateIdentifier CustomerId customerId,
                                        @TargetAggregateVersion Long expectedVersion) {
}
