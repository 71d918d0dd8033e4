package org.orderly.command.fulfilment;

import java.time.Duration;

import org.orderly.config.saga.RetryPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How long the order fulfilment saga waits, and how it retries, under {@code orderly.sagas.fulfilment.*}. */
@ConfigurationProperties("orderly.sagas.fulfilment")
public class FulfilmentProperties {

    /**
     * How long the saga waits for every line's stock reservation before it asks again; when the last of
     * {@code stage-resends} asks is unanswered too, it rejects the order.
     */
    private Duration reservationTimeout = Duration.ofSeconds(30);

    /**
     * How long the saga waits for the payment provider's answer before it asks again (the provider call is
     * idempotent by payment id). When the last of {@code stage-resends} asks passes unanswered, the stock is
     * released, the authorization is cancelled (a late approval is then voided) and the order is cancelled:
     * "payment timeout".
     */
    private Duration paymentTimeout = Duration.ofSeconds(30);

    /** How long a confirmed order may wait for its shipment's dispatch before it is cancelled. */
    private Duration dispatchTimeout = Duration.ofDays(7);

    /** How long a dispatched shipment may take to be delivered before the saga parks for an operator. */
    private Duration deliveryTimeout = Duration.ofDays(30);

    /**
     * How many times a reservation or payment authorization that went unanswered is sent again, each under a
     * fresh timeout, before the saga gives up on it. A crash may lose a request or its answer; sending again
     * (every request is idempotent) recovers it, so only a domain that stays silent through every ask fails.
     */
    private int stageResends = 2;

    /** How many times one step (a compensation above all) is tried before the saga parks for an operator. */
    private int maxAttempts = 5;

    /** The wait before the first retry of a failed step; each further retry waits twice as long. */
    private Duration retryBackoff = Duration.ofSeconds(1);

    /** The longest wait between two retries. */
    private Duration maxRetryBackoff = Duration.ofMinutes(5);

    public Duration getReservationTimeout() { return reservationTimeout; }
    public void setReservationTimeout(Duration reservationTimeout) { this.reservationTimeout = reservationTimeout; }
    public Duration getPaymentTimeout() { return paymentTimeout; }
    public void setPaymentTimeout(Duration paymentTimeout) { this.paymentTimeout = paymentTimeout; }
    public Duration getDispatchTimeout() { return dispatchTimeout; }
    public void setDispatchTimeout(Duration dispatchTimeout) { this.dispatchTimeout = dispatchTimeout; }
    public Duration getDeliveryTimeout() { return deliveryTimeout; }
    public void setDeliveryTimeout(Duration deliveryTimeout) { this.deliveryTimeout = deliveryTimeout; }
    public int getStageResends() { return stageResends; }
    public void setStageResends(int stageResends) { this.stageResends = stageResends; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getRetryBackoff() { return retryBackoff; }
    public void setRetryBackoff(Duration retryBackoff) { this.retryBackoff = retryBackoff; }
    public Duration getMaxRetryBackoff() { return maxRetryBackoff; }
    public void setMaxRetryBackoff(Duration maxRetryBackoff) { this.maxRetryBackoff = maxRetryBackoff; }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, retryBackoff, maxRetryBackoff, stageResends);
    }
}
