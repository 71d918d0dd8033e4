package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

/**
 * The customer's key is gone, so every personal field sealed with it reads as erased from now on; each domain
 * that keeps a readable copy of the customer's personal data forgets it on this event.
 */
@Revision("1")
public record CustomerErasedEvent(CustomerId customerId) {
}
