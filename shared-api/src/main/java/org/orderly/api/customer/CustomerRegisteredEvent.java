package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

/** A customer registered. Holds no secrets: the email is the contact other domains copy. */
@Revision("1")
public record CustomerRegisteredEvent(CustomerId customerId, String email, String name) {
}
