package org.orderly.query.cart;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.cart.*}, as the query side reads it (the command side reads the idle timeout).
 *
 * @param retention how long an abandoned (EXPIRED) cart is kept in the read model after it expired; {@code 0}: for
 *                  ever. Its events stay in the event store.
 */
@ConfigurationProperties("orderly.cart")
public record CartRetentionProperties(@DefaultValue("P30D") Duration retention) {

    public CartRetentionProperties {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("orderly.cart.retention must not be negative: " + retention);
        }
    }

    /** How long expired carts are kept; empty: for ever. */
    Optional<Duration> period() {
        return retention.isZero() ? Optional.empty() : Optional.of(retention);
    }
}
