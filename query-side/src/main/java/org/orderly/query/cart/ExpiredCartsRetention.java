package org.orderly.query.cart;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.BatchedDelete;
import org.orderly.config.retention.RetentionTask;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes abandoned carts: those EXPIRED longer than {@code orderly.cart.retention} ago, with their lines. An
 * ACTIVE cart is never removed, however old, nor a CHECKED_OUT one (the order it became may still point at it).
 * Only the read model goes: the cart's events stay, as every domain's do, so a replay of the projection brings the
 * view back until the next run. {@code cart_owners} stays, since it numbers the customer's carts.
 */
@Component
@EnableConfigurationProperties(CartRetentionProperties.class)
class ExpiredCartsRetention implements RetentionTask {

    static final String KIND = "expired-carts";

    private final JdbcTemplate jdbc;
    private final Optional<Duration> period;

    ExpiredCartsRetention(DomainStores stores, CartRetentionProperties properties) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
        this.period = properties.period();
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
        // One statement per batch, lines and carts together: the lines' foreign key is checked at its end.
        return BatchedDelete.run(jdbc, """
                WITH expired AS (
                     SELECT cart_id FROM carts
                      WHERE status = 'EXPIRED' AND updated_at < ?
                      LIMIT ? FOR UPDATE SKIP LOCKED),
                     lines AS (DELETE FROM cart_lines WHERE cart_id IN (SELECT cart_id FROM expired))
                DELETE FROM carts WHERE cart_id IN (SELECT cart_id FROM expired)
                """, batchSize, Timestamp.from(cutoff));
    }
}
