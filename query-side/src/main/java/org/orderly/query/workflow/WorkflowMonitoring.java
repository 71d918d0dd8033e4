package org.orderly.query.workflow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.orderly.config.OrderlyHealth;
import org.orderly.config.database.DatabaseProbe;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Sagas that need attention, read from the workflows table, so every node reports the same numbers.
 * <ul>
 *   <li>{@code orderly.workflows.stuck}: sagas running or compensating past their deadline (plus
 *       {@code orderly.workflows.stuck-grace}): their deadline did not fire, or its handler keeps failing</li>
 *   <li>{@code orderly.workflows.parked}: sagas in COMPENSATION_FAILED or FAILED, waiting for an operator</li>
 *   <li>health {@code workflows}: DEGRADED while any saga is stuck (the node still serves); parked ones are a
 *       detail, since they have ended in a state an operator is shown and can act on</li>
 * </ul>
 */
@Component("workflowsHealthIndicator")
class WorkflowMonitoring extends AbstractHealthIndicator {

    private final WorkflowProjection workflows;
    private final DatabaseProbe database;

    WorkflowMonitoring(WorkflowProjection workflows, DatabaseProbe database, MeterRegistry registry) {
        super("Workflows could not be checked");
        this.workflows = workflows;
        this.database = database;
        Gauge.builder("orderly.workflows.stuck", workflows, WorkflowProjection::countStuck)
                .description("Sagas still running or compensating past their deadline").register(registry);
        Gauge.builder("orderly.workflows.parked", workflows, WorkflowProjection::countParked)
                .description("Sagas parked in COMPENSATION_FAILED or FAILED, waiting for an operator's retry")
                .register(registry);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!database.reachable()) {
            builder.unknown().withDetail("reason", "database unreachable");
            return;
        }
        long stuck = workflows.countStuck();
        (stuck > 0 ? builder.status(OrderlyHealth.DEGRADED) : builder.up())
                .withDetail("stuck", stuck)
                .withDetail("parked", workflows.countParked());
    }
}
