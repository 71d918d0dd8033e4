package org.orderly.api.customer;

import org.axonframework.serialization.Revision;

@Revision("1")
public record CustomerDeactivatedEvent(CustomerId customerId) {
}
