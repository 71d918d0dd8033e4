package org.orderly.app.ops;

import org.axonframework.eventhandling.EventHandler;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection into the test domain store {@code poison} that records every customer it sees, and fails on the
 * customers {@link #poisoned} picks out: the poison the dead-letter, health and operator tests feed a processor.
 * Each test names its own processing group on a subclass.
 */
abstract class SeenCustomersProjection {

    private final JdbcTemplate jdbc;

    SeenCustomersProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether handling this customer fails. */
    abstract boolean poisoned(CustomerRegisteredEvent event);

    @EventHandler
    void on(CustomerRegisteredEvent event) {
        if (poisoned(event)) {
            // A real SQL failure: the statement aborts the transaction, as a bug in a projection would.
            jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, NULL)", event.customerId().value());
        }
        jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.customerId().value(), event.name());
    }
}
