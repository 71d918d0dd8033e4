package org.orderly.config.retention;

import java.util.Map;

import org.orderly.config.OrderlyHealth;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health {@code retention}: DEGRADED while the last run of any kind failed, naming the kinds and their errors; the
 * node still serves, and expired data merely stays a while longer.
 */
class RetentionHealth extends AbstractHealthIndicator {

    private final Retention retention;

    RetentionHealth(Retention retention) {
        super("Retention could not be checked");
        this.retention = retention;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> failing = retention.failing();
        (failing.isEmpty() ? builder.up() : builder.status(OrderlyHealth.DEGRADED))
                .withDetail("failing", failing)
                .withDetail("lastFinishedRun", retention.status().lastFinishedRun());
    }
}
