package org.orderly.query.workflow;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The workflows domain's own copy of who placed each order and which order each return is of: all that ties a
 * workflow (which names only its order or return) to a customer, for the customer's data export. Both rows are
 * written once and never change, so a redelivered or replayed event inserts nothing.
 */
@Component
@ProcessingGroup(WorkflowProjection.PROCESSING_GROUP)
class WorkflowOwnersProjection {

    private final JdbcTemplate jdbc;

    WorkflowOwnersProjection(DomainStores stores) {
        this.jdbc = stores.get(WorkflowStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(OrderPlacedEvent event) {
        jdbc.update("""
                INSERT INTO order_owners (order_id, customer_id) VALUES (?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value());
    }

    @EventHandler
    void on(ReturnRequestedEvent event) {
        jdbc.update("""
                INSERT INTO return_orders (return_id, order_id) VALUES (?, ?)
                ON CONFLICT (return_id) DO NOTHING
                """, event.returnId().value(), event.orderId().value());
    }

    /** A replay starts from empty tables; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE order_owners, return_orders");
    }
}
