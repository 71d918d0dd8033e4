package org.orderly.command.cart;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.cart.*}: how carts expire and how cart commands read the cart domain's copies (how long abandoned carts
 * are kept is {@code orderly.retention.abandoned-carts}).
 *
 * @param idleTimeout a cart that has not changed for this long expires (EXPIRED): each change starts the wait anew
 * @param maxCopyLag  adding a product is refused (503) while the processor of the cart domain's catalog copy has
 *                    left an event waiting longer than this: a price is never taken from a stale copy
 * @param maxCopyWait how long a cart command waits for the cart domain's copies to catch up with what was stored
 *                    before it
 */
@ConfigurationProperties("orderly.cart")
public record CartProperties(@DefaultValue("PT30M") Duration idleTimeout,
                             @DefaultValue("PT5S") Duration maxCopyLag,
                             @DefaultValue("PT2S") Duration maxCopyWait) {

    public CartProperties {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("orderly.cart.idle-timeout must be positive: " + idleTimeout);
        }
    }
}
