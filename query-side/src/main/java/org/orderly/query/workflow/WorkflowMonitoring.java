package org.orderly.query.workflow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Sagas that need attention, read from the workflows table, so every node reports the same numbers.
 * <ul>
 *   <li>{@code orderly.workflows.stuck}: sagas running or compensating past their deadline (plus
 *       {@code orderly.workflows.stuck-grace}): their deadline did not fire, or its handler keeps failing</li>
 *   <li>{@code orderly.workflows.parked}: sagas in COMPENSATION_FAILED or FAILED, waiting for an operator</li>
 *   <li>health {@code workflows}: OUT_OF_SERVICE while any saga is stuck; parked ones are a detail, since
 *       they have ended in a state an operator is shown and can act on</li>
 * </ul>
 */
@Component("workflowsHealthIndicator")
class WorkflowMonitoring extends AbstractHealthIndicator {

    private final WorkflowProjection workflows;

    WorkflowMonitoring(WorkflowProjection workflows, MeterRegistry registry) {
        super("Workflows could not be checked");
        this.workflows = workflows;
        Gauge.builder("orderly.workflows.stuck", workflows, WorkflowProjection::countStuck)
                .description("Sagas still running or compensating past their deadline").register(registry);
        Gauge.builder("orderly.workflows.parked", workflows, WorkflowProjection::countParked)
                .description("Sagas parked in COMPENSATION_FAILED or FAILED, waiting for an operator's retry")
                .register(registry);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long stuck = workflows.countStuck();
        (stuck > 0 ? builder.status(Status.OUT_OF_SERVICE) : builder.up())
                .withDetail("stuck", stuck)
                .withDetail("parked", workflows.countParked());
    }
}
