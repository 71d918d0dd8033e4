package org.orderly.command.customer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.ChangeCustomerEmailCommand;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.EraseCustomerCommand;
import org.orderly.config.privacy.SubjectKeys;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.DeactivateCustomerCommand;
import org.orderly.api.customer.RegisterCustomerCommand;
import org.orderly.api.customer.SetCustomerCreditLimitCommand;

/**
 * A customer: decides in command handlers, changes state only in event-sourcing handlers, and keeps only
 * what its decisions need. Email uniqueness is a rule over all customers, so it is claimed in
 * {@link CustomerEmailRegistry} inside the same transaction that appends the event.
 */
@Aggregate
class Customer {

    @AggregateIdentifier
    private CustomerId customerId;
    private String email;
    private boolean active;
    private boolean erased;
    private Money creditLimit;

    Customer() {
        // for Axon
    }

    @CommandHandler
    Customer(RegisterCustomerCommand command, CustomerEmailRegistry emails) {
        String email = CustomerRules.email(command.email());
        String name = CustomerRules.name(command.name());
        Money creditLimit = CustomerRules.creditLimit(command.creditLimit());
        emails.claim(email, command.customerId());
        apply(new CustomerRegisteredEvent(command.customerId(), email, name, creditLimit));
    }

    @CommandHandler
    void handle(ChangeCustomerEmailCommand command, CustomerEmailRegistry emails, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        requireActive();
        String newEmail = CustomerRules.email(command.email());
        if (newEmail.equals(email)) {
            return;
        }
        emails.claim(newEmail, customerId);
        emails.release(email, customerId);
        apply(new CustomerEmailChangedEvent(customerId, newEmail));
    }

    @CommandHandler
    void handle(SetCustomerCreditLimitCommand command, Actor actor) {
        if (!actor.seesEveryCustomer()) {
            // a customer may not raise their own limit; to them another's customer record does not exist
            actor.requireAccess(null, customerId);
        }
        requireActive();
        Money limit = CustomerRules.creditLimit(command.creditLimit());
        if (!limit.equals(creditLimit)) {
            apply(new CustomerCreditLimitSetEvent(customerId, limit));
        }
    }

    @CommandHandler
    void handle(DeactivateCustomerCommand command, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        requireActive();
        apply(new CustomerDeactivatedEvent(customerId));
    }

    /**
     * Erasure deletes the customer's key first, in the key store's own transaction, so that from that moment no
     * copy of their sealed data anywhere (events, snapshots, dead letters, backups) opens; then the email is
     * freed and the event tells every domain to forget its readable copies. A request repeated after a crash
     * between the two finds the key gone and completes; one after the event changes nothing.
     */
    @CommandHandler
    void handle(EraseCustomerCommand command, CustomerEmailRegistry emails, SubjectKeys keys, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        if (erased) {
            return;
        }
        keys.erase(customerId.toString());
        emails.releaseAll(customerId);
        apply(new CustomerErasedEvent(customerId));
    }

    private void requireActive() {
        if (erased) {
            throw new RefusedException(Refusal.conflict(null, "Customer " + customerId + " is erased"));
        }
        if (!active) {
            throw new RefusedException(Refusal.conflict(null, "Customer " + customerId + " is deactivated"));
        }
    }

    @EventSourcingHandler
    void on(CustomerRegisteredEvent event) {
        customerId = event.customerId();
        email = event.email();
        active = true;
        // Null in revision 1 registrations, whose limit a CustomerCreditLimitSetEvent set right after.
        creditLimit = event.creditLimit();
    }

    @EventSourcingHandler
    void on(CustomerEmailChangedEvent event) {
        email = event.email();
    }

    @EventSourcingHandler
    void on(CustomerCreditLimitSetEvent event) {
        creditLimit = event.creditLimit();
    }

    @EventSourcingHandler
    void on(CustomerDeactivatedEvent event) {
        active = false;
    }

    @EventSourcingHandler
    void on(CustomerErasedEvent event) {
        active = false;
        erased = true;
        email = null;
    }
}
