package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

@Revision("1")
public record CustomerEmailChangedEvent(CustomerId customerId, String email) {
}
