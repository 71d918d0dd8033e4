package org.orderly.query.notification;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.validation.annotation.Validated;

/** The notification dispatcher's settings, under {@code orderly.notifications.*}. */
@Validated
public class NotificationProperties {

    /** Pause between two polls for due notifications. */
    @NotNull
    private Duration pollInterval = Duration.ofSeconds(1);
    /** Notifications sent in one transaction; a full batch is followed by the next one at once. */
    @Min(1)
    @Max(1000)
    private int batchSize = 50;
    /** Attempts, the first included, after which a notification is FAILED. */
    @Min(1)
    private int maxAttempts = 8;
    /** Wait after the first failed attempt; it doubles after each further one. */
    @NotNull
    private Duration backoffBase = Duration.ofSeconds(1);
    /** The longest wait between two attempts. */
    @NotNull
    private Duration backoffMax = Duration.ofMinutes(5);
    /** Health is DEGRADED when a notification has been pending longer than this. */
    @NotNull
    private Duration maxPendingAge = Duration.ofMinutes(15);

    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getBackoffBase() { return backoffBase; }
    public void setBackoffBase(Duration backoffBase) { this.backoffBase = backoffBase; }
    public Duration getBackoffMax() { return backoffMax; }
    public void setBackoffMax(Duration backoffMax) { this.backoffMax = backoffMax; }
    public Duration getMaxPendingAge() { return maxPendingAge; }
    public void setMaxPendingAge(Duration maxPendingAge) { this.maxPendingAge = maxPendingAge; }

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, backoffBase, backoffMax);
    }
}
