package org.orderly.command.customer;

import java.util.List;
import java.util.UUID;

import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The registry in the main database, next to the event store, so that a claim and the event commit in
 * one transaction. A unique key decides races: of two concurrent claims, the second waits for the
 * first to commit and then finds the email taken.
 */
@Component
class JdbcCustomerEmailRegistry implements CustomerEmailRegistry {

    private final JdbcTemplate jdbc;

    JdbcCustomerEmailRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void claim(String email, CustomerId customerId) {
        int inserted = jdbc.update("""
                INSERT INTO customer_registry.customer_email (email, customer_id) VALUES (?, ?)
                ON CONFLICT (email) DO NOTHING
                """, email, customerId.value());
        if (inserted == 0) {
            List<UUID> holder = jdbc.queryForList(
                    "SELECT customer_id FROM customer_registry.customer_email WHERE email = ?", UUID.class, email);
            if (!holder.contains(customerId.value())) {
                throw new RefusedException(Refusal.conflict("email", "This email is already in use"));
            }
        }
    }

    @Override
    public void release(String email, CustomerId customerId) {
        jdbc.update("DELETE FROM customer_registry.customer_email WHERE email = ? AND customer_id = ?",
                email, customerId.value());
    }

    @Override
    public void releaseAll(CustomerId customerId) {
        jdbc.update("DELETE FROM customer_registry.customer_email WHERE customer_id = ?", customerId.value());
    }
}
