package org.orderly.query.workflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.workflow.FindWorkflowQuery;
import org.orderly.api.workflow.FindWorkflowsQuery;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowPage;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.api.workflow.WorkflowView;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code workflows} read model: the newest state each saga has published. A saga publishes its whole
 * visible state with a revision that only grows, so the row is replaced only by a higher revision: a
 * redelivered, replayed or overtaken update changes nothing. One revision may be published twice with different
 * states: the saga's update reaches the event store in a transaction of its own, so a crash before the saga's
 * state commits lets the saga handle the event again from its older state, and decide again (a payment
 * authorized meanwhile now answers at once). The later of the two, by position, is the saga's state as it stands.
 */
@Component
@ProcessingGroup(WorkflowProjection.PROCESSING_GROUP)
class WorkflowProjection {

    static final String PROCESSING_GROUP = "workflows";

    private static final int MAX_ERROR = 2000;
    private static final String COLUMNS = "workflow_id, type, business_id, status, current_step, deadline, revision";

    private final JdbcTemplate jdbc;
    private final WorkflowProperties properties;

    WorkflowProjection(DomainStores stores, WorkflowProperties properties) {
        this.jdbc = stores.get(WorkflowStore.DOMAIN).jdbc();
        this.properties = properties;
    }

    @EventHandler
    void on(WorkflowUpdatedEvent event, TrackingToken token, @org.axonframework.eventhandling.Timestamp Instant at) {
        int changed = jdbc.update("""
                INSERT INTO workflows (workflow_id, type, business_id, status, current_step, deadline, revision,
                                       last_position, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (workflow_id) DO UPDATE
                   SET status = EXCLUDED.status, current_step = EXCLUDED.current_step, deadline = EXCLUDED.deadline,
                       revision = EXCLUDED.revision, last_position = EXCLUDED.last_position,
                       updated_at = EXCLUDED.updated_at
                 WHERE workflows.revision < EXCLUDED.revision
                    OR (workflows.revision = EXCLUDED.revision AND workflows.last_position < EXCLUDED.last_position)
                """, event.workflowId().value(), event.type(), event.businessId(), event.status().name(),
                event.currentStep(), timestamp(event.deadline()), event.revision(), TokenPositions.of(token),
                Timestamp.from(at));
        if (changed == 0) {
            return; // this revision, or a newer one, is already here
        }
        // The row's lock, taken above, keeps any other writer of this workflow out until the steps are replaced.
        jdbc.update("DELETE FROM workflow_steps WHERE workflow_id = ?", event.workflowId().value());
        List<WorkflowStep> steps = event.steps() == null ? List.of() : event.steps();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStep step = steps.get(i);
            rows.add(new Object[] {event.workflowId().value(), i, step.name(), step.status(),
                    timestamp(step.startedAt()), timestamp(step.endedAt()), truncate(step.error())});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO workflow_steps (workflow_id, position, name, status, started_at, ended_at, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, rows);
        }
    }

    /** A replay starts from empty tables; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE workflow_steps, workflows");
    }

    @QueryHandler
    WorkflowView handle(FindWorkflowQuery query) {
        List<WorkflowView> found = withSteps(jdbc.query("SELECT " + COLUMNS + " FROM workflows WHERE workflow_id = ?",
                WorkflowProjection::view, query.workflowId().value()));
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    WorkflowPage handle(FindWorkflowsQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM workflows WHERE true");
        List<Object> args = new ArrayList<>();
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.type() != null) {
            sql.append(" AND type = ?");
            args.add(query.type());
        }
        if (query.businessId() != null) {
            sql.append(" AND business_id = ?");
            args.add(query.businessId());
        }
        if (query.stuck()) {
            sql.append(" AND status IN ('RUNNING', 'COMPENSATING') AND deadline < ?");
            args.add(Timestamp.from(stuckBefore()));
        }
        if (query.after() != null) {
            sql.append(" AND workflow_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY workflow_id LIMIT ?");
        args.add(query.limit() + 1);
        List<WorkflowView> rows = jdbc.query(sql.toString(), WorkflowProjection::view, args.toArray());
        if (rows.size() <= query.limit()) {
            return new WorkflowPage(withSteps(rows), null);
        }
        List<WorkflowView> page = withSteps(rows.subList(0, query.limit()));
        return new WorkflowPage(page, page.get(page.size() - 1).workflowId());
    }

    /** Sagas still running or compensating although their deadline passed longer than the grace ago. */
    long countStuck() {
        Long count = jdbc.queryForObject("""
                SELECT count(*) FROM workflows WHERE status IN ('RUNNING', 'COMPENSATING') AND deadline < ?
                """, Long.class, Timestamp.from(stuckBefore()));
        return count == null ? 0 : count;
    }

    /** Sagas parked after a step gave up, waiting for an operator's retry. */
    long countParked() {
        Long count = jdbc.queryForObject(
                "SELECT count(*) FROM workflows WHERE status IN ('COMPENSATION_FAILED', 'FAILED')", Long.class);
        return count == null ? 0 : count;
    }

    private Instant stuckBefore() {
        return Instant.now().minus(properties.stuckGrace());
    }

    /** Loads the steps of every workflow given with one query. */
    private List<WorkflowView> withSteps(List<WorkflowView> workflows) {
        if (workflows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<WorkflowStep>> steps = new LinkedHashMap<>();
        workflows.forEach(w -> steps.put(w.workflowId().value(), new ArrayList<>()));
        String placeholders = String.join(", ", Collections.nCopies(workflows.size(), "?"));
        jdbc.query("SELECT workflow_id, name, status, started_at, ended_at, error FROM workflow_steps"
                        + " WHERE workflow_id IN (" + placeholders + ") ORDER BY workflow_id, position",
                (ResultSet rs) -> {
                    steps.get(rs.getObject("workflow_id", UUID.class)).add(new WorkflowStep(rs.getString("name"),
                            rs.getString("status"), instant(rs.getTimestamp("started_at")),
                            instant(rs.getTimestamp("ended_at")), rs.getString("error")));
                }, steps.keySet().toArray());
        return workflows.stream().map(w -> new WorkflowView(w.workflowId(), w.type(), w.businessId(), w.status(),
                w.currentStep(), w.deadline(), List.copyOf(steps.get(w.workflowId().value())), w.revision())).toList();
    }

    private static WorkflowView view(ResultSet rs, int row) throws SQLException {
        return new WorkflowView(new WorkflowId(rs.getObject("workflow_id", UUID.class)), rs.getString("type"),
                rs.getString("business_id"), WorkflowStatus.valueOf(rs.getString("status")),
                rs.getString("current_step"), instant(rs.getTimestamp("deadline")), List.of(), rs.getLong("revision"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }
}
