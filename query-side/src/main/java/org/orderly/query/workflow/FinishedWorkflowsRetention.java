package org.orderly.query.workflow;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.BatchedDelete;
import org.orderly.config.retention.RetentionProperties;
import org.orderly.config.retention.RetentionTask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes the view of workflows that finished (COMPLETED, or COMPENSATED) longer than
 * {@code orderly.retention.finished-workflows} ago, with their steps. A workflow still running or compensating,
 * or parked for an operator (FAILED, COMPENSATION_FAILED), is never removed. Only the view goes: a finished saga
 * publishes nothing more, and a replay of the projection brings the view back until the next run.
 */
@Component
class FinishedWorkflowsRetention implements RetentionTask {

    private final JdbcTemplate jdbc;
    private final Optional<Duration> period;

    FinishedWorkflowsRetention(DomainStores stores, RetentionProperties retention) {
        this.jdbc = stores.get(WorkflowStore.DOMAIN).jdbc();
        this.period = retention.finishedWorkflowsPeriod();
    }

    @Override
    public String kind() {
        return RetentionProperties.FINISHED_WORKFLOWS;
    }

    @Override
    public Optional<Duration> period() {
        return period;
    }

    @Override
    public long removeExpired(Instant cutoff, int batchSize) {
        // One statement per batch, steps and workflows together: the steps' foreign key is checked at its end.
        return BatchedDelete.run(jdbc, """
                WITH finished AS (
                     SELECT workflow_id FROM workflows
                      WHERE status IN ('COMPLETED', 'COMPENSATED') AND updated_at < ?
                      LIMIT ? FOR UPDATE SKIP LOCKED),
                     steps AS (DELETE FROM workflow_steps WHERE workflow_id IN (SELECT workflow_id FROM finished))
                DELETE FROM workflows WHERE workflow_id IN (SELECT workflow_id FROM finished)
                """, batchSize, Timestamp.from(cutoff));
    }
}
