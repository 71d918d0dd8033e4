package org.orderly.api.customer;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

/**
 * One of the customer's addresses now reads as {@code address}, under the same id. Sealed as
 * {@link CustomerAddressAddedEvent} is; {@code null} once the customer is erased.
 */
@Revision("1")
public record CustomerAddressReplacedEvent(@DataSubject CustomerId customerId, AddressId addressId,
                                           @PersonalData PostalAddress address) {
}
