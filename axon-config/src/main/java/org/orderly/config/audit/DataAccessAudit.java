package org.orderly.config.audit;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.orderly.api.common.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data-access audit log: who read or changed which customer's personal data, when, how and with what outcome,
 * for every access by anyone other than that customer (staff, operators).
 * <p>
 * <b>Where it lives.</b> Table {@code access_entry} of the append-only domain store {@code audit}
 * ({@link org.orderly.config.domainstore.DomainStoreDefinition#asAppendOnly}): the owner role owns the schema and
 * the table, and the role {@code orderly_audit} this class writes as holds {@code INSERT} and {@code SELECT} only, so
 * no bug or injected statement here can rewrite the record. Rows leave only through {@link #removeEntriesBefore},
 * a {@code SECURITY DEFINER} function of the owner that refuses to touch the last day.
 * <p>
 * <b>What is recorded.</b> One {@link AuditEntry} per access and data subject: a page of twenty customers read by
 * staff is twenty entries, so that "who saw my data" is one indexed look-up by subject, never a scan of lists.
 * The actor is the caller's opaque subject id and roles ({@link Actor}), never an email. Controllers declare their
 * personal-data operations with {@link AuditedPersonalData} and {@link AuditedPersonalDataInterceptor} records them
 * once the response status is known; code outside a controller (an export, a job) calls {@link #record} itself.
 * A customer reaching their own data is not recorded.
 * <p>
 * <b>Why asynchronously, and why nothing is lost silently.</b> An entry is queued and the request goes on; one
 * writer thread per node inserts whatever has queued in one batch and one commit, so many reads share a commit
 * and a read waits for none. The queue is bounded ({@code orderly.audit.queue-capacity}): when it is full the
 * request thread writes its own entries at once, so a burst slows reads down instead of dropping entries. A batch
 * the database refuses stays queued and is retried; meanwhile {@code orderly.audit.pending} grows,
 * {@code orderly.audit.write.failures} counts and health component {@code audit} is {@code DEGRADED}
 * ({@code orderly.audit.record} times what recording costs a request's thread). On shutdown
 * the queue is written before the pool closes. What remains is a crash of the JVM itself, which loses the entries
 * queued at that moment: the writer drains the queue as fast as entries come, so that is the few milliseconds
 * before the crash, the price of not making every read wait for an insert and a commit of its own.
 * <p>
 * Entries are numbered by a {@code bigserial}, and a cursor is the last id seen (newest first), so paging never
 * shows an entry twice while new ones arrive. One writer per node commits in id order; only an entry committed
 * late by another node (or written inline from a full queue) can get an id below a page already read, and shows
 * on the next look rather than in that paging.
 */
public final class DataAccessAudit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataAccessAudit.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;
    private final BlockingQueue<AuditEntry> queue;
    /** Entries handed to the writer, and entries it has committed: {@link #flush} waits for the one to reach the other. */
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private final Object progress = new Object();
    private final Thread writer;
    private volatile boolean running = true;

    public DataAccessAudit(JdbcTemplate jdbc, TransactionTemplate transactions, AuditProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.batchSize = properties.batchSize();
        this.queue = new LinkedBlockingQueue<>(properties.queueCapacity());
        this.writer = new Thread(this::writeLoop, "orderly-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Records that {@code actor} reached the personal data of {@code subjects} by {@code operation}, with
     * {@code outcome}, now; subjects that are the actor themself are left out. Returns at once; see the class
     * comment for when the entries are written.
     *
     * @param operation what was done, e.g. {@code GET /api/customers/{customerId}} or {@code export}
     * @param outcome   how it ended, e.g. the HTTP status ({@code 200}) or {@code refused}
     * @return how many entries were recorded
     */
    public int record(Actor actor, Collection<String> subjects, String operation, String outcome) {
        Objects.requireNonNull(actor, "actor");
        Instant at = clock.instant();
        int recorded = 0;
        for (String subject : subjects) {
            if (subject != null && !isSelf(actor, subject)) {
                enqueue(new AuditEntry(0, at, actorSubject(actor), actorRoles(actor), subject, operation, outcome));
                recorded++;
            }
        }
        return recorded;
    }

    /** {@link #record(Actor, Collection, String, String)} for one subject. */
    public int record(Actor actor, String subject, String operation, String outcome) {
        return record(actor, List.of(subject), operation, outcome);
    }

    /** Whether the actor is the customer whose data it is: a customer's own reads are not audited. */
    static boolean isSelf(Actor actor, String subject) {
        return actor.customerId() != null && actor.customerId().toString().equals(subject);
    }

    /** A customer is named by their customer id (an opaque UUID) even if their provider's subject were an email. */
    private static String actorSubject(Actor actor) {
        if (actor.customerId() != null) {
            return actor.customerId().toString();
        }
        return actor.subject() == null ? "anonymous" : actor.subject();
    }

    private static String actorRoles(Actor actor) {
        return actor.roles().stream().map(Enum::name).sorted().reduce((a, b) -> a + "," + b).orElse("");
    }

    private void enqueue(AuditEntry entry) {
        queued.incrementAndGet();
        if (running && queue.offer(entry)) {
            return;
        }
        // Full (or shutting down): this thread writes its own entry rather than drop it.
        insert(List.of(entry));
        committed.incrementAndGet();
        signal();
    }

    /**
     * Waits until every entry recorded on this node before the call is written, at most {@code timeout}.
     *
     * @return whether they all were
     */
    public boolean flush(Duration timeout) {
        long target = queued.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (committed.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void signal() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void writeLoop() {
        List<AuditEntry> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                }
                insert(batch);
                committed.addAndGet(batch.size());
                batch.clear();
                failingSince.set(null);
                signal();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The batch stays and is tried again: an entry leaves memory only once it is committed.
                failures.incrementAndGet();
                failingSince.compareAndSet(null, clock.instant());
                log.error("Could not write {} audit entries; retrying in {} ({} failures so far)", batch.size(),
                        RETRY_PAUSE, failures.get(), e);
                if (!running) {
                    return; // close() reports what is left
                }
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void insert(List<AuditEntry> entries) {
        transactions.executeWithoutResult(status -> jdbc.batchUpdate("""
                INSERT INTO access_entry (at, actor_subject, actor_roles, subject_id, operation, outcome)
                VALUES (?, ?, ?, ?, ?, ?)
                """, entries, entries.size(), (statement, entry) -> {
            statement.setTimestamp(1, Timestamp.from(entry.at()));
            statement.setString(2, entry.actorSubject());
            statement.setString(3, entry.actorRoles());
            statement.setString(4, entry.subjectId());
            statement.setString(5, entry.operation());
            statement.setString(6, entry.outcome());
        }));
    }

    /**
     * Entries newest first, matching every filter given ({@code null} for none), after waiting briefly for this
     * node's queued entries, so a reader sees what was recorded up to the call.
     *
     * @param before the cursor: only entries with a smaller id
     * @param limit  at most this many, plus one to tell whether a next page exists
     */
    public List<AuditEntry> entries(String subjectId, String actorSubject, Instant from, Instant to, Long before,
                                    int limit) {
        flush(Duration.ofSeconds(2));
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor_subject, actor_roles, subject_id, operation, outcome FROM access_entry WHERE true");
        List<Object> args = new ArrayList<>();
        if (subjectId != null) {
            sql.append(" AND subject_id = ?");
            args.add(subjectId);
        }
        if (actorSubject != null) {
            sql.append(" AND actor_subject = ?");
            args.add(actorSubject);
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(to));
        }
        if (before != null) {
            sql.append(" AND id < ?");
            args.add(before);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, row) -> new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), args.toArray());
    }

    /**
     * Removes the entries recorded before {@code cutoff}, for retention. The database refuses a cutoff within the
     * last day (the audit role cannot erase a fresh trace, whoever holds it): that is an
     * {@link IllegalArgumentException} here.
     *
     * @return how many entries were removed
     */
    public long removeEntriesBefore(Instant cutoff) {
        try {
            Long removed = jdbc.queryForObject("SELECT remove_entries_before(?)", Long.class, Timestamp.from(cutoff));
            return removed == null ? 0 : removed;
        } catch (DataAccessException e) {
            if (e.getMostSpecificCause() instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                throw new IllegalArgumentException("Audit entries of the last day are kept; cutoff " + cutoff
                        + " is too recent", e);
            }
            throw e;
        }
    }

    /** Entries recorded on this node and not yet committed. */
    public long pending() {
        return queued.get() - committed.get();
    }

    /** Batches the database refused since this node started (each is retried). */
    public long writeFailures() {
        return failures.get();
    }

    /** Since when writing has been failing, or {@code null} while it succeeds. */
    public Instant failingSince() {
        return failingSince.get();
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending() > 0) {
            log.error("{} audit entries could not be written before shutdown", pending());
        }
    }
}
