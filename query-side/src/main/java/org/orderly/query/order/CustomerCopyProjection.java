package org.orderly.query.order;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.orderly.config.processing.Positions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The order domain's copy of what it needs to know about customers: email, status and credit limit.
 * Each write moves a row forward only, by global position, so redelivery and replay are harmless.
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
    void on(CustomerRegisteredEvent event, TrackingToken token) {
        writes.update(event.customerId(), """
                INSERT INTO customer_copies (customer_id, email, status, last_position) VALUES (?, ?, 'ACTIVE', ?)
                ON CONFLICT (customer_id) DO NOTHING
                """, event.customerId().value(), event.email(), Positions.of(token));
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, TrackingToken token) {
        writes.update(event.customerId(),
                "UPDATE customer_copies SET email = ?, last_position = ? WHERE customer_id = ? AND last_position < ?",
                event.email(), Positions.of(token), event.customerId().value(), Positions.of(token));
    }

    @EventHandler
    void on(CustomerCreditLimitSetEvent event, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_copies SET credit_limit_amount = ?, credit_limit_currency = ?, last_position = ?
                 WHERE customer_id = ? AND last_position < ?
                """, event.creditLimit().amount(), event.creditLimit().currency(), Positions.of(token),
                event.customerId().value(), Positions.of(token));
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, TrackingToken token) {
        writes.update(event.customerId(), """
                UPDATE customer_copies SET status = 'DEACTIVATED', last_position = ?
                 WHERE customer_id = ? AND last_position < ?
                """, Positions.of(token), event.customerId().value(), Positions.of(token));
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customer_copies");
    }
}
