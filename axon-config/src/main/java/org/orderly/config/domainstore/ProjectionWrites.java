package org.orderly.config.domainstore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A projection's writes, sent to PostgreSQL together when its batch commits instead of one round trip
 * per event: within a batch, the statements of each row key run in the order they were issued, and the
 * statements of different keys, which must touch different rows, are grouped into JDBC batches (multi-row
 * inserts, thanks to {@code reWriteBatchedInserts}). With a batch of a thousand events that is a handful
 * of round trips instead of a thousand.
 * <p>
 * Only for handlers that never read what they write: a deferred write is not visible to a query in the
 * same batch. Outside a processor's batch, or while an event is handled in isolation after a failed batch
 * ({@link EventIsolation}), a write runs at once. A batch whose writes fail is retried in isolation, so
 * the failing event is dead-lettered on its own.
 */
public final class ProjectionWrites {

    private final JdbcTemplate jdbc;
    private final EventIsolation isolation;
    private final ProjectionCommits commits;
    private final String resourceKey;

    ProjectionWrites(JdbcTemplate jdbc, EventIsolation isolation, ProjectionCommits commits, String domain) {
        this.jdbc = jdbc;
        this.isolation = isolation;
        this.commits = commits;
        this.resourceKey = ProjectionWrites.class.getName() + "." + domain;
    }

    /**
     * Runs {@code sql} with {@code args}, now or when the batch commits.
     *
     * @param rowKey the row the statement touches (its primary key); statements with different keys must
     *               touch different rows
     */
    public void update(Object rowKey, String sql, Object... args) {
        String group = deferringGroup();
        if (group == null) {
            jdbc.update(sql, args);
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Pending pending = (Pending) root.resources().computeIfAbsent(resourceKey, k -> {
            Pending created = new Pending(group);
            root.onPrepareCommit(u -> created.flush());
            // Reads waiting for this read model (ProjectionCommits) look again once the batch is visible.
            root.afterCommit(u -> commits.committed(group));
            return created;
        });
        pending.add(rowKey, sql, args, EventIsolation.positionOf(CurrentUnitOfWork.get().getMessage()));
    }

    /**
     * Runs {@code sql} at once, after every write deferred so far in the batch: for a rare statement that may touch
     * the rows of many keys (a customer's erasure across their orders), which must see the rows the batch's earlier
     * events wrote.
     */
    public void updateAfterPending(String sql, Object... args) {
        if (deferringGroup() != null) {
            Pending pending = (Pending) CurrentUnitOfWork.get().root().resources().get(resourceKey);
            if (pending != null) {
                pending.flush();
            }
        }
        jdbc.update(sql, args);
    }

    /** The processing group whose batch a write now joins, or {@code null} when it runs at once. */
    private static String deferringGroup() {
        String group = EventIsolation.handlingGroup();
        if (group == null || EventIsolation.handlingInIsolation() || !CurrentUnitOfWork.isStarted()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        return group;
    }

    private record Write(String sql, Object[] args) {
    }

    private final class Pending {
        private final String group;
        private final Map<Object, ArrayDeque<Write>> byKey = new LinkedHashMap<>();
        private long lastPosition = -1;

        Pending(String group) {
            this.group = group;
        }

        void add(Object rowKey, String sql, Object[] args, long position) {
            byKey.computeIfAbsent(rowKey, k -> new ArrayDeque<>()).add(new Write(sql, args));
            lastPosition = Math.max(lastPosition, position);
        }

        /** Round r runs the r-th statement of every key; within a round, statements are grouped by SQL. */
        void flush() {
            try {
                while (!byKey.isEmpty()) {
                    Map<String, List<Object[]>> round = new LinkedHashMap<>();
                    for (Iterator<ArrayDeque<Write>> keys = byKey.values().iterator(); keys.hasNext(); ) {
                        ArrayDeque<Write> writes = keys.next();
                        Write next = writes.poll();
                        round.computeIfAbsent(next.sql(), s -> new ArrayList<>()).add(next.args());
                        if (writes.isEmpty()) {
                            keys.remove();
                        }
                    }
                    round.forEach((sql, args) -> {
                        if (args.size() == 1) {
                            jdbc.update(sql, args.get(0));
                        } else {
                            jdbc.batchUpdate(sql, args);
                        }
                    });
                }
            } catch (RuntimeException e) {
                isolation.isolateUpTo(group, lastPosition);
                throw e;
            }
        }
    }
}
