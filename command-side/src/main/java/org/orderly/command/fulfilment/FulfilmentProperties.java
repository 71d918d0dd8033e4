package org.orderly.command.fulfilment;

import java.time.Duration;

import org.orderly.config.saga.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the order fulfilment saga waits, and how it retries, under {@code orderly.sagas.fulfilment.*}.
 *
 * @param reservationTimeout how long the saga waits for every line's stock reservation before it asks again; when the
 *                           last of {@code stage-resends} asks is unanswered too, it rejects the order.
 * @param paymentTimeout     how long the saga waits for the payment provider's answer before it asks again (the
 *                           provider call is idempotent by payment id). When the last of {@code stage-resends} asks
 *                           passes unanswered, the stock is released, the authorization is cancelled (a late approval
 *                           is then voided) and the order is cancelled: "payment timeout".
 * @param dispatchTimeout    how long a confirmed order may wait for its shipment's dispatch before it is cancelled.
 * @param deliveryTimeout    how long a dispatched shipment may take to be delivered before the saga parks for an
 *                           operator.
 * @param stageResends       how many times a reservation or payment authorization that went unanswered is sent again,
 *                           each under a fresh timeout, before the saga gives up on it. A crash may lose a request or
 *                           its answer; sending again (every request is idempotent) recovers it, so only a domain that
 *                           stays silent through every ask fails.
 * @param maxAttempts        how many times one step (a compensation above all) is tried before the saga parks for an
 *                           operator.
 * @param retryBackoff       the wait before the first retry of a failed step; each further retry waits twice as long.
 * @param maxRetryBackoff    the longest wait between two retries.
 */
@ConfigurationProperties("orderly.sagas.fulfilment")
public record FulfilmentProperties(@DefaultValue("30s") Duration reservationTimeout,
                                   @DefaultValue("30s") Duration paymentTimeout,
                                   @DefaultValue("7d") Duration dispatchTimeout,
                                   @DefaultValue("30d") Duration deliveryTimeout,
                                   @DefaultValue("2") int stageResends,
                                   @DefaultValue("5") int maxAttempts,
                                   @DefaultValue("1s") Duration retryBackoff,
                                   @DefaultValue("5m") Duration maxRetryBackoff) {

    /** Every default, as a node without any {@code orderly.sagas.fulfilment.*} setting runs. */
    public static FulfilmentProperties defaults() {
        return new FulfilmentProperties(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofDays(7),
                Duration.ofDays(30), 2, 5, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, retryBackoff, maxRetryBackoff, stageResends);
    }
}
