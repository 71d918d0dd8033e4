package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

/**
 * One of the customer's addresses is gone. A default shipping or billing address that named it is cleared by this
 * event itself: no {@link CustomerDefaultAddressesChangedEvent} follows, so no reader ever sees a default that names
 * a removed address.
 */
@Revision("1")
public record CustomerAddressRemovedEvent(CustomerId customerId, AddressId addressId) {
}
