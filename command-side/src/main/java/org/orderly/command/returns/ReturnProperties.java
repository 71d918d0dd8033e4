package org.orderly.command.returns;

import java.time.Duration;

import org.orderly.config.saga.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.returns.*}.
 *
 * @param window          how long after delivery a return is approved
 * @param receiptTimeout  how long an approved return waits for its goods before it is withdrawn (REJECTED)
 * @param maxAttempts     how many times a step (restock, refund) is tried before the saga parks for an operator
 * @param retryBackoff    the wait before the first retry; each further retry waits twice as long
 * @param maxRetryBackoff the longest wait between two retries
 */
@ConfigurationProperties("orderly.returns")
public record ReturnProperties(@DefaultValue("P30D") Duration window,
                               @DefaultValue("P30D") Duration receiptTimeout,
                               @DefaultValue("5") int maxAttempts,
                               @DefaultValue("PT1S") Duration retryBackoff,
                               @DefaultValue("PT5M") Duration maxRetryBackoff) {

    /** The receipt is the customer's to send: its deadline is never re-sent, so no stage re-sends. */
    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, retryBackoff, maxRetryBackoff, 0);
    }
}
