package org.orderly.peer;

import java.util.UUID;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;

/** The peer's messages, as compact as a sample keeps them. */
final class Messages {

    private Messages() {
    }

    record RegisterCustomerCommand(@TargetAggregateIdentifier UUID customerId, String email, String name) {
    }

    @Revision("1")
    record CustomerRegisteredEvent(UUID customerId, String email, String name) {
    }

    record FindCustomerQuery(UUID customerId) {
    }
}
