package org.orderly.peer;

import java.util.UUID;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

@Aggregate
class Customer {

    @AggregateIdentifier
    private UUID customerId;

    protected Customer() {
        // for Axon
    }

    @CommandHandler
    Customer(Messages.RegisterCustomerCommand command) {
        apply(new Messages.CustomerRegisteredEvent(command.customerId(), command.email(), command.name()));
    }

    @EventSourcingHandler
    void on(Messages.CustomerRegisteredEvent event) {
        customerId = event.customerId();
    }
}
