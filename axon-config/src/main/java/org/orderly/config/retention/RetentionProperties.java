package org.orderly.config.retention;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.retention.*}: how long each kind of data that expires is kept, and how often expired data is
 * removed. A period of {@code 0} keeps that kind for ever (its retention is off). The answers to an
 * {@code Idempotency-Key} are the kind {@value #IDEMPOTENCY_ANSWERS}, kept for {@code orderly.idempotency.retention},
 * which is also how long they are replayed.
 *
 * @param interval                       time between the end of one retention run and the start of the next
 * @param initialDelay                   time from the start of a node to its first retention run
 * @param batchSize                      most rows removed in one transaction (and deactivated customers looked up at
 *                                       once): a long backlog is removed in many short transactions rather than one
 *                                       that holds its locks for long
 * @param sentNotifications              how long a notification that was sent, or given up on, is kept after that;
 *                                       pending ones are never removed; {@code 0}: kept for ever
 * @param finishedWorkflows              how long the view of a workflow that completed, or was compensated, is kept
 *                                       after it ended; running and parked ones are never removed; {@code 0}: kept
 *                                       for ever
 * @param abandonedCarts                 how long a cart that expired, and a checkout session that expired or failed,
 *                                       is kept in the read model after it ended; active carts, checked-out carts and
 *                                       confirmed sessions are never removed; the events stay; {@code 0}: for ever
 * @param auditEntries                   how long an entry of the data-access audit log is kept; {@code 0}: for ever
 * @param eraseDeactivatedCustomersAfter how long after their deactivation a customer is erased, as if they had asked
 *                                       for it (the same command as their own erasure request); unset (the default) or
 *                                       {@code 0}: never
 */
@ConfigurationProperties("orderly.retention")
public record RetentionProperties(@DefaultValue("1h") Duration interval,
                                  @DefaultValue("5m") Duration initialDelay,
                                  @DefaultValue("1000") int batchSize,
                                  @DefaultValue("90d") Duration sentNotifications,
                                  @DefaultValue("180d") Duration finishedWorkflows,
                                  @DefaultValue("30d") Duration abandonedCarts,
                                  @DefaultValue("365d") Duration auditEntries,
                                  Duration eraseDeactivatedCustomersAfter) {

    public static final String SENT_NOTIFICATIONS = "sent-notifications";
    public static final String FINISHED_WORKFLOWS = "finished-workflows";
    public static final String IDEMPOTENCY_ANSWERS = "idempotency-answers";
    public static final String AUDIT_ENTRIES = "audit-entries";
    public static final String DEACTIVATED_CUSTOMERS = "deactivated-customers";

    public RetentionProperties {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("orderly.retention.interval must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("orderly.retention.batch-size must be at least 1");
        }
        for (Duration period : new Duration[] {sentNotifications, finishedWorkflows, abandonedCarts, auditEntries,
                eraseDeactivatedCustomersAfter}) {
            if (period != null && period.isNegative()) {
                throw new IllegalArgumentException("A period of orderly.retention must not be negative: " + period);
            }
        }
    }

    private static Optional<Duration> period(Duration configured) {
        return configured == null || configured.isZero() ? Optional.empty() : Optional.of(configured);
    }

    /** How long notifications are kept once sent or given up on; empty: for ever. */
    public Optional<Duration> sentNotificationsPeriod() {
        return period(sentNotifications);
    }

    /** How long finished workflows are kept; empty: for ever. */
    public Optional<Duration> finishedWorkflowsPeriod() {
        return period(finishedWorkflows);
    }

    /** How long abandoned carts and checkout sessions are kept; empty: for ever. */
    public Optional<Duration> abandonedCartsPeriod() {
        return period(abandonedCarts);
    }

    /** How long audit entries are kept; empty: for ever. */
    public Optional<Duration> auditEntriesPeriod() {
        return period(auditEntries);
    }

    /** How long after deactivation a customer is erased; empty: never. */
    public Optional<Duration> deactivatedCustomersPeriod() {
        return period(eraseDeactivatedCustomersAfter);
    }
}
