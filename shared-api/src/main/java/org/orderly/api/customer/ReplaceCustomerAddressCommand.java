package org.orderly.api.customer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Replace one of the customer's addresses with a new version under the same id.
 *
 * @param defaultShipping {@code true} makes it the default shipping address, {@code false} clears that default if
 *                        it was this address, {@code null} leaves the default as it is
 * @param defaultBilling  the same for the default billing address
 * @param expectedVersion the customer's version the client last saw, or {@code null} to skip the check
 */
public record ReplaceCustomerAddressCommand(@TargetAggregateIdentifier CustomerId customerId, AddressId addressId,
                                            PostalAddress address, Boolean defaultShipping, Boolean defaultBilling,
                                            @TargetAggregateVersion Long expectedVersion) {
}
