package org.orderly.query.notification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.orderly.config.OrderlyHealth;
import org.orderly.config.database.DatabaseProbe;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Metrics and health of the dispatcher. Both read the outbox's queue itself rather than anything the
 * dispatcher reports, so a dispatcher that has stopped shows up as a growing, ageing backlog.
 * <ul>
 *   <li>{@code orderly.notifications.pending}, {@code orderly.notifications.failed}: gauges of the queue</li>
 *   <li>{@code orderly.notifications.sent}: notifications sent by this node</li>
 *   <li>health {@code notifications}: DEGRADED while any notification is FAILED, or one has been pending
 *       longer than {@code orderly.notifications.max-pending-age} (the node still serves)</li>
 * </ul>
 */
@Component("notificationsHealthIndicator")
class NotificationMonitoring extends AbstractHealthIndicator {

    private final NotificationOutbox outbox;
    private final NotificationProperties properties;
    private final Counter sent;
    private final DatabaseProbe database;

    NotificationMonitoring(NotificationOutbox outbox, NotificationProperties properties, DatabaseProbe database,
                           MeterRegistry registry) {
        super("Notifications could not be checked");
        this.outbox = outbox;
        this.database = database;
        this.properties = properties;
        Gauge.builder("orderly.notifications.pending", outbox, o -> o.backlog().pending())
                .description("Notifications waiting to be sent").register(registry);
        Gauge.builder("orderly.notifications.failed", outbox, o -> o.backlog().failed())
                .description("Notifications given up on after the last allowed attempt").register(registry);
        this.sent = Counter.builder("orderly.notifications.sent")
                .description("Notifications sent by this node").register(registry);
    }

    void sent(int count) {
        sent.increment(count);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!database.reachable()) {
            builder.unknown().withDetail("reason", "database unreachable");
            return;
        }
        NotificationOutbox.Backlog backlog = outbox.backlog();
        (backlog.healthy(properties.maxPendingAge()) ? builder.up() : builder.status(OrderlyHealth.DEGRADED))
                .withDetail("pending", backlog.pending())
                .withDetail("failed", backlog.failed())
                .withDetail("oldestPending", backlog.oldestPending().toString())
                .withDetail("maxPendingAge", properties.maxPendingAge().toString());
    }
}
