package org.orderly.api.customer;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

/**
 * An address joined the customer's address book. The address is personal data, stored sealed with the customer's
 * key as one value, and read as {@code null} once the customer is erased. Sealed from its first revision, so it has
 * no plaintext revision to upcast or migrate.
 */
@Revision("1")
public record CustomerAddressAddedEvent(@DataSubject CustomerId customerId, AddressId addressId,
                                        @PersonalData PostalAddress address) {
}
