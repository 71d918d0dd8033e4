package org.orderly.query.notification;

import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerErasedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The notification domain's own copies of what it needs from other domains: each customer's email
 * and each order's customer. Every update is guarded by the customer's sequence number, so a
 * redelivered or replayed event changes nothing it has already changed.
 * The handlers never read, so a batch's writes go out together at its commit ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup(NotificationContactsProjection.PROCESSING_GROUP)
class NotificationContactsProjection {

    static final String PROCESSING_GROUP = "notification-contacts";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    NotificationContactsProjection(DomainStores stores) {
        this.jdbc = stores.get(NotificationStore.DOMAIN).jdbc();
        this.writes = stores.get(NotificationStore.DOMAIN).writes();
    }

    @EventHandler
    void on(CustomerRegisteredEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(), """
                INSERT INTO customer_contacts (customer_id, email, status, last_position, version)
                VALUES (?, ?, 'ACTIVE', ?, ?)
                ON CONFLICT (customer_id) DO NOTHING
                """, event.customerId().value(), event.email(), position(token), version);
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, @SequenceNumber long version, TrackingToken token) {
        long position = position(token);
        writes.update(event.customerId(), """
                UPDATE customer_contacts SET email = ?, last_position = ?, version = ?
                 WHERE customer_id = ? AND version < ?
                """, event.email(), position, version, event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, @SequenceNumber long version, TrackingToken token) {
        long position = position(token);
        writes.update(event.customerId(), """
                UPDATE customer_contacts SET status = 'DEACTIVATED', last_position = ?, version = ?
                 WHERE customer_id = ? AND version < ?
                """, position, version, event.customerId().value(), version);
    }

    /** Nothing is sent to an erased customer any more, and their address is forgotten. */
    @EventHandler
    void on(CustomerErasedEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_contacts SET email = ?, status = 'DEACTIVATED', last_position = ?, version = ?
                 WHERE customer_id = ? AND version < ?
                """, PersonalData.ERASED, position(token), version, event.customerId().value(), version);
    }

    /** Published by another domain, possibly not as an aggregate's event: nothing but the position is relied on. */
    @EventHandler
    void on(OrderPlacedEvent event, TrackingToken token) {
        writes.update(event.orderId(), """
                INSERT INTO order_customers (order_id, customer_id, last_position)
                VALUES (?, ?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value(), position(token));
    }

    /** A replay starts from empty copies; only this projection's tables are touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customer_contacts, order_customers");
    }

    /** The position guard is what makes these writes idempotent, so an event without one is refused loudly. */
    private static long position(TrackingToken token) {
        if (token == null || token.position().isEmpty()) {
            throw new IllegalStateException("The notification contacts need events with a global position, got "
                    + token);
        }
        return token.position().getAsLong();
    }
}
