package org.orderly.config.cluster;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Periodic work that runs once per cluster rather than once per node. Every node keeps its own timer for a job;
 * when it fires, the node asks for the job's turn, and gets it only if the job is due: one atomic statement on
 * {@code ops.cluster_schedule} moves the job's due time forward by nine tenths of its interval, so whichever node's
 * timer passes the due time first runs the job and the others find it not due. A tenth of slack keeps the node whose
 * timer fired the last run from missing its next turn by a hair (its timer and the database's clock need not agree
 * to the millisecond). So the job runs at most once per nine tenths of its interval across the cluster, and at least
 * once per interval while any node runs. The node that took a turn and died in it does not block the next: the turn
 * is a due time, not a lock.
 * <p>
 * A row per job, not db-scheduler's recurring tasks: db-scheduler lives with the command side's deadlines, in the
 * sagas schema and under the saga role, which a query-side node does not have; and a job like retention keeps its
 * own worker, status and "run now".
 */
public final class ClusterSchedule {

    private final JdbcTemplate main;
    private final String self;

    public ClusterSchedule(JdbcTemplate main, String self) {
        this.main = main;
        this.self = self;
    }

    /**
     * Takes the job's turn if it is due, for this node.
     *
     * @return whether this node runs the job now
     */
    public boolean takeTurn(String job, Duration interval) {
        long until = interval.toMillis() - interval.toMillis() / 10;
        return main.update("""
                INSERT INTO ops.cluster_schedule AS s (job, due_at, node_id, started_at)
                VALUES (?, now() + ?::interval, ?, now())
                ON CONFLICT (job) DO UPDATE SET due_at = EXCLUDED.due_at, node_id = EXCLUDED.node_id,
                       started_at = EXCLUDED.started_at
                 WHERE s.due_at <= now()
                """, job, until + " milliseconds", self) == 1;
    }

    /** The node that took the job's last turn, or null if none has. */
    public String lastTurnTakenBy(String job) {
        return main.query("SELECT node_id FROM ops.cluster_schedule WHERE job = ?",
                rs -> rs.next() ? rs.getString(1) : null, job);
    }
}
