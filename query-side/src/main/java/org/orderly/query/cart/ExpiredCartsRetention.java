package org.orderly.query.cart;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.BatchedDelete;
import org.orderly.config.retention.RetentionProperties;
import org.orderly.config.retention.RetentionTask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes abandoned carts and checkout sessions once {@code orderly.retention.abandoned-carts} has passed since they
 * ended: carts that EXPIRED, with their lines, and sessions that EXPIRED or FAILED, with their lines and their copies
 * of the customer's addresses. An ACTIVE cart is never removed, however old, nor a CHECKED_OUT one or a CONFIRMED
 * session (the order they became may still point at them). Only the read model goes: the events stay, as every
 * domain's do, so a replay of the projection brings the view back until the next run. {@code cart_owners} stays,
 * since it numbers the customer's carts.
 */
@Component
class ExpiredCartsRetention implements RetentionTask {

    static final String KIND = "expired-carts";

    private final JdbcTemplate jdbc;
    private final Optional<Duration> period;

    ExpiredCartsRetention(DomainStores stores, RetentionProperties retention) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
        this.period = retention.abandonedCartsPeriod();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<Duration> period() {
        return period;
    }

    @Override
    public long removeExpired(Instant cutoff, int batchSize) {
        // One statement per batch, lines and their cart or session together: the lines' foreign key is checked at
        // the statement's end.
        long carts = BatchedDelete.run(jdbc, """
                WITH expired AS (
                     SELECT cart_id FROM carts
                      WHERE status = 'EXPIRED' AND updated_at < ?
                      LIMIT ? FOR UPDATE SKIP LOCKED),
                     lines AS (DELETE FROM cart_lines WHERE cart_id IN (SELECT cart_id FROM expired))
                DELETE FROM carts WHERE cart_id IN (SELECT cart_id FROM expired)
                """, batchSize, Timestamp.from(cutoff));
        long sessions = BatchedDelete.run(jdbc, """
                WITH abandoned AS (
                     SELECT checkout_id FROM checkouts
                      WHERE status IN ('FAILED', 'EXPIRED') AND ended_at < ?
                      LIMIT ? FOR UPDATE SKIP LOCKED),
                     lines AS (DELETE FROM checkout_lines WHERE checkout_id IN (SELECT checkout_id FROM abandoned))
                DELETE FROM checkouts WHERE checkout_id IN (SELECT checkout_id FROM abandoned)
                """, batchSize, Timestamp.from(cutoff));
        return carts + sessions;
    }
}
