package org.orderly.config.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.idempotency.*}: how long {@code Idempotency-Key} answers are kept ({@link IdempotencyFilter}).
 *
 * @param retention how long the answer to an Idempotency-Key is replayed to retries; retention removes it after that
 *                  (kind {@code idempotency-answers}, at each {@code orderly.retention.interval}).
 */
@ConfigurationProperties("orderly.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration retention) {
}
