package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

/**
 * The customer's default addresses, both of them as they are now (one event whichever changed, so a reader sets
 * both and never combines a change with what it read before).
 *
 * @param shipping the default shipping address, or {@code null} for none
 * @param billing  the default billing address, or {@code null} for none
 */
@Revision("1")
public record CustomerDefaultAddressesChangedEvent(CustomerId customerId, AddressId shipping, AddressId billing) {
}
