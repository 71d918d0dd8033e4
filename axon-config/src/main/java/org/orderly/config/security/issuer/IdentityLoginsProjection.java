package org.orderly.config.security.issuer;

import org.orderly.api.customer.CustomerErasedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;

/**
 * Keeps customers' logins in step with their customer records: a changed email becomes the login (the email
 * change request sets it at once; this repairs it should that be lost in a crash), and a deactivated customer
 * can no longer log in. Each write is guarded by the event's sequence number, so a replay changes nothing.
 */
@ProcessingGroup(IdentityStore.PROCESSING_GROUP)
final class IdentityLoginsProjection {

    private final Accounts accounts;

    IdentityLoginsProjection(Accounts accounts) {
        this.accounts = accounts;
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, @SequenceNumber long version) {
        accounts.changeLogin(event.customerId().value(), event.email(), version);
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, @SequenceNumber long version) {
        accounts.disable(event.customerId().value(), version);
    }

    /** An erased customer's account (their login is their email) is deleted. */
    @EventHandler
    void on(CustomerErasedEvent event) {
        accounts.erase(event.customerId().value());
    }
}
