package org.orderly.query.notification;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The notification dispatcher's settings, under {@code orderly.notifications.*}.
 *
 * @param pollInterval  pause between two polls for due notifications.
 * @param batchSize     notifications sent in one transaction; a full batch is followed by the next one at once.
 * @param maxAttempts   attempts, the first included, after which a notification is FAILED.
 * @param backoffBase   wait after the first failed attempt; it doubles after each further one.
 * @param backoffMax    the longest wait between two attempts.
 * @param maxPendingAge health is DEGRADED when a notification has been pending longer than this.
 */
@Validated
@ConfigurationProperties("orderly.notifications")
public record NotificationProperties(@NotNull @DefaultValue("1s") Duration pollInterval,
                                     @Min(1) @Max(1000) @DefaultValue("50") int batchSize,
                                     @Min(1) @DefaultValue("8") int maxAttempts,
                                     @NotNull @DefaultValue("1s") Duration backoffBase,
                                     @NotNull @DefaultValue("5m") Duration backoffMax,
                                     @NotNull @DefaultValue("15m") Duration maxPendingAge) {

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, backoffBase, backoffMax);
    }
}
