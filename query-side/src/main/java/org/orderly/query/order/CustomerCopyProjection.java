package org.orderly.query.order;

import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerErasedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The order domain's copy of what it needs to know about customers: email, status and credit limit.
 * Each write moves a row forward only, by the customer's sequence number, so redelivery and replay are
 * harmless; {@code last_position} records how far the copy has read, for its freshness.
 * The handlers never read, so a batch's writes go out together at its commit ({@link ProjectionWrites}).
 */
@Component
@ProcessingGroup(CustomerCopyProjection.PROCESSING_GROUP)
class CustomerCopyProjection {

    static final String PROCESSING_GROUP = "order-customer-copies";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    CustomerCopyProjection(DomainStores stores) {
        this.jdbc = stores.get(OrderStore.DOMAIN).jdbc();
        this.writes = stores.get(OrderStore.DOMAIN).writes();
    }

    @EventHandler
    void on(CustomerRegisteredEvent event, @SequenceNumber long version, TrackingToken token) {
        Money limit = event.creditLimit();
        writes.update(event.customerId(), """
                INSERT INTO customer_copies (customer_id, email, status, credit_limit_amount, credit_limit_currency,
                                             last_position, version)
                VALUES (?, ?, 'ACTIVE', ?, ?, ?, ?)
                ON CONFLICT (customer_id) DO NOTHING
                """, event.customerId().value(), event.email(), limit == null ? null : limit.amount(),
                limit == null ? null : limit.currency(), TokenPositions.of(token), version);
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(),
                "UPDATE customer_copies SET email = ?, last_position = ?, version = ? WHERE customer_id = ? AND version < ?",
                event.email(), TokenPositions.of(token), version, event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerCreditLimitSetEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_copies SET credit_limit_amount = ?, credit_limit_currency = ?, last_position = ?,
                       version = ?
                 WHERE customer_id = ? AND version < ?
                """, event.creditLimit().amount(), event.creditLimit().currency(), TokenPositions.of(token), version,
                event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_copies SET status = 'DEACTIVATED', last_position = ?, version = ?
                 WHERE customer_id = ? AND version < ?
                """, TokenPositions.of(token), version, event.customerId().value(), version);
    }

    /** An erased customer places no more orders; their copy keeps no email. */
    @EventHandler
    void on(CustomerErasedEvent event, @SequenceNumber long version, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_copies SET email = ?, status = 'DEACTIVATED', last_position = ?, version = ?
                 WHERE customer_id = ? AND version < ?
                """, PersonalData.ERASED, TokenPositions.of(token), version, event.customerId().value(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customer_copies");
    }
}
