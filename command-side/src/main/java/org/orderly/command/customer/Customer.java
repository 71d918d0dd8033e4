package org.orderly.command.customer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.AddCustomerAddressCommand;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.ChangeCustomerEmailCommand;
import org.orderly.api.customer.CustomerAddressAddedEvent;
import org.orderly.api.customer.CustomerAddressRemovedEvent;
import org.orderly.api.customer.CustomerAddressReplacedEvent;
import org.orderly.api.customer.CustomerDefaultAddressesChangedEvent;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.customer.RemoveCustomerAddressCommand;
import org.orderly.api.customer.ReplaceCustomerAddressCommand;
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
 * <p>
 * The customer keeps an address book: up to {@link CustomerRules#MAX_ADDRESSES} addresses, each named by an
 * {@link AddressId}, and a default shipping and a default billing address among them (each may be none). Only the
 * customer changes it (another customer's answers as not found); a deactivated or erased customer's is closed. The
 * defaults are set with the address (a flag on adding or replacing it), since that is where a client offers them
 * ("use as my default shipping address"); removing a default address clears that default rather than picking
 * another one the customer did not choose.
 */
@Aggregate
class Customer {

    @AggregateIdentifier
    private CustomerId customerId;
    private String email;
    private boolean active;
    private boolean erased;
    private Money creditLimit;
    /** In the order added; an erased customer's addresses read as {@code null}, which no decision needs. */
    private final Map<AddressId, PostalAddress> addresses = new LinkedHashMap<>();
    private AddressId defaultShipping;
    private AddressId defaultBilling;

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

    /**
     * Adding an address with an id the customer already has is a retry when it is the same address (nothing
     * changes), and a conflict otherwise.
     */
    @CommandHandler
    void handle(AddCustomerAddressCommand command, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        requireActive();
        PostalAddress address = CustomerRules.address(command.address());
        if (addresses.containsKey(command.addressId())) {
            if (!address.equals(addresses.get(command.addressId()))) {
                throw new RefusedException(Refusal.conflict(null, "Address " + command.addressId()
                        + " exists already with other content"));
            }
        } else {
            if (addresses.size() >= CustomerRules.MAX_ADDRESSES) {
                throw new RefusedException(Refusal.conflict(null, "A customer keeps at most "
                        + CustomerRules.MAX_ADDRESSES + " addresses; remove one first"));
            }
            apply(new CustomerAddressAddedEvent(customerId, command.addressId(), address));
        }
        changeDefaults(command.addressId(), command.defaultShipping() ? Boolean.TRUE : null,
                command.defaultBilling() ? Boolean.TRUE : null);
    }

    /** Replacing an address with what it already is changes nothing (a retried request). */
    @CommandHandler
    void handle(ReplaceCustomerAddressCommand command, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        requireActive();
        requireAddress(command.addressId());
        PostalAddress address = CustomerRules.address(command.address());
        if (!address.equals(addresses.get(command.addressId()))) {
            apply(new CustomerAddressReplacedEvent(customerId, command.addressId(), address));
        }
        changeDefaults(command.addressId(), command.defaultShipping(), command.defaultBilling());
    }

    @CommandHandler
    void handle(RemoveCustomerAddressCommand command, Actor actor) {
        actor.requireAccess(customerId.value(), customerId);
        requireActive();
        requireAddress(command.addressId());
        apply(new CustomerAddressRemovedEvent(customerId, command.addressId()));
    }

    private void requireAddress(AddressId addressId) {
        if (!addresses.containsKey(addressId)) {
            throw new RefusedException(Refusal.notFound("No resource with id " + addressId));
        }
    }

    /**
     * {@code TRUE} makes the address the default, {@code FALSE} clears the default if it is this address, {@code null}
     * leaves it; one event with both defaults, only when either changes.
     */
    private void changeDefaults(AddressId addressId, Boolean shipping, Boolean billing) {
        AddressId newShipping = defaulted(defaultShipping, addressId, shipping);
        AddressId newBilling = defaulted(defaultBilling, addressId, billing);
        if (!Objects.equals(newShipping, defaultShipping) || !Objects.equals(newBilling, defaultBilling)) {
            apply(new CustomerDefaultAddressesChangedEvent(customerId, newShipping, newBilling));
        }
    }

    private static AddressId defaulted(AddressId current, AddressId addressId, Boolean flag) {
        if (flag == null) {
            return current;
        }
        return flag ? addressId : addressId.equals(current) ? null : current;
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
    void on(CustomerAddressAddedEvent event) {
        addresses.put(event.addressId(), event.address());
    }

    @EventSourcingHandler
    void on(CustomerAddressReplacedEvent event) {
        addresses.put(event.addressId(), event.address());
    }

    @EventSourcingHandler
    void on(CustomerAddressRemovedEvent event) {
        addresses.remove(event.addressId());
        if (event.addressId().equals(defaultShipping)) {
            defaultShipping = null;
        }
        if (event.addressId().equals(defaultBilling)) {
            defaultBilling = null;
        }
    }

    @EventSourcingHandler
    void on(CustomerDefaultAddressesChangedEvent event) {
        defaultShipping = event.shipping();
        defaultBilling = event.billing();
    }

    @EventSourcingHandler
    void on(CustomerErasedEvent event) {
        active = false;
        erased = true;
        email = null;
        addresses.clear();
        defaultShipping = null;
        defaultBilling = null;
    }
}
