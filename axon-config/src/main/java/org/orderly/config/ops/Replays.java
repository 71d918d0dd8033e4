package org.orderly.config.ops;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessorLag;
import org.orderly.config.processing.SegmentPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Replays one projection from the start of the event store while every other processor keeps running:
 * Axon's shut down, reset tokens (which runs the projection's reset handler in the same transaction as
 * the new tokens), start. Each replay is recorded in {@code ops.replay}; any node watching finishes the
 * record once every segment has handled the head of the event store as it was when the replay started.
 * <p>
 * Other nodes running the processor are asked to release it first ({@link ProcessorHolds}): the replay holds
 * the processor, waits until no other node claims a segment of it, resets it and lifts the hold as soon as the
 * reset tokens are stored. The other nodes then start their instances again and find replay tokens, so
 * whichever node claims a segment carries the replay on; none ever handled events against the emptied read
 * model with its old position.
 */
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    private static final String COLUMNS = "replay_id, processor_name, domain, requested_by, node, started_at, "
            + "target_position, outcome, ended_at, detail, waiting_for, released_by";

    private final Supplier<EventProcessingConfiguration> processing;
    private final DomainStores stores;
    private final ProcessorLag lag;
    private final JdbcTemplate ops;
    private final ProcessorHolds holds;
    private final Clock clock;

    public Replays(Supplier<EventProcessingConfiguration> processing, DomainStores stores, ProcessorLag lag,
                   JdbcTemplate ops, ProcessorHolds holds, Clock clock) {
        this.processing = processing;
        this.stores = stores;
        this.lag = lag;
        this.ops = ops;
        this.holds = holds;
        this.clock = clock;
    }

    /** Resets the processor and starts it again; the replay itself then runs in the processor's threads. */
    public OpsViews.Replay start(String name, String requestedBy) {
        EventProcessor processor = processing.get().eventProcessors().get(name);
        if (processor == null) {
            throw new RefusedException(Refusal.notFound("No event processor named " + name));
        }
        if (ProcessorKind.of(processor) == ProcessorKind.SAGA) {
            throw unprocessable(name + " is a saga processor; sagas are never replayed, they would act again");
        }
        DomainStore store = stores.forProcessingGroup(name).orElseThrow(() ->
                unprocessable(name + " belongs to no domain store, so it has no reset handler to rebuild with"));
        if (!(processor instanceof StreamingEventProcessor streaming) || !streaming.supportsReset()) {
            throw unprocessable(name + " does not support a reset");
        }
        List<String> rebuilding = ops.queryForList(
                "SELECT rebuild_id::text FROM ops.rebuild WHERE domain = ? AND outcome = 'RUNNING'", String.class,
                store.name());
        if (!rebuilding.isEmpty()) {
            throw new RefusedException(Refusal.conflict(null, "A rebuild of domain " + store.name() + " is running: "
                    + rebuilding.get(0) + "; it replays " + name + " already"));
        }
        UUID id = UUID.randomUUID();
        try {
            // Recorded with an unreachable target until the tokens are reset: a watcher (on any node) that
            // looked in between would otherwise find the not-yet-reset segments at the head and call the
            // replay completed before it began.
            ops.update("INSERT INTO ops.replay (replay_id, processor_name, domain, requested_by, node, started_at, "
                            + "target_position, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING')",
                    id, name, store.name(), requestedBy, stores.nodeId(),
                    Timestamp.from(clock.instant()), Long.MAX_VALUE);
        } catch (DuplicateKeyException e) {
            throw new RefusedException(Refusal.conflict(null, "A replay of " + name + " is already running: "
                    + running(name).map(OpsViews.Replay::replayId).orElse("on another node")));
        }
        List<String> released;
        try {
            released = holds.holdAndAwaitRelease(List.of(name), "replay " + id, waiting ->
                    ops.update("UPDATE ops.replay SET waiting_for = ? WHERE replay_id = ?",
                            waiting.isEmpty() ? null : String.join(",", waiting), id));
        } catch (RuntimeException e) {
            finish(id, "FAILED", truncate(e.getMessage()));
            throw e;
        }
        try {
            ops.update("UPDATE ops.replay SET released_by = ? WHERE replay_id = ?",
                    released.isEmpty() ? null : String.join(",", released), id);
            reset(id, name, streaming, requestedBy);
        } finally {
            // The reset tokens are stored (or nothing was reset): the other nodes may start the processor again.
            holds.lift(List.of(name));
        }
        if (!released.isEmpty()) {
            log.info("Replay {} of processor {}: nodes {} released it", id, name, released);
        }
        return find(id).orElseThrow();
    }

    private void reset(UUID id, String name, StreamingEventProcessor streaming, String requestedBy) {
        // The head once no other node processes: every event a segment may have handled before the reset is in.
        long target = lag.head();

        streaming.shutDown();
        try {
            // One transaction: claims every segment, runs the reset handler, stores replay tokens. A claim
            // another node took meanwhile rolls it all back, so the read model is never half reset.
            streaming.resetTokens();
        } catch (UnableToClaimTokenException e) {
            finish(id, "FAILED", "another node claimed a segment during the reset: " + e.getMessage());
            streaming.start();
            throw new RefusedException(Refusal.conflict(null, "Another node claimed " + name + " during the reset; "
                    + "nothing was reset"));
        } catch (RuntimeException e) {
            finish(id, "FAILED", "reset failed: " + e);
            streaming.start();
            throw e;
        }
        ops.update("UPDATE ops.replay SET target_position = ? WHERE replay_id = ?", target, id);
        streaming.start();
        log.info("Replay {} of processor {} started by {}, up to global index {}", id, name, requestedBy, target);
    }

    public Optional<OpsViews.Replay> find(UUID id) {
        List<OpsViews.Replay> found = ops.query("SELECT " + COLUMNS + " FROM ops.replay WHERE replay_id = ?",
                this::view, id);
        return found.stream().findFirst();
    }

    public Optional<OpsViews.Replay> running(String processor) {
        return ops.query("SELECT " + COLUMNS + " FROM ops.replay WHERE processor_name = ? AND outcome = 'RUNNING'",
                this::view, processor).stream().findFirst();
    }

    public List<OpsViews.Replay> recent(int limit) {
        return ops.query("SELECT " + COLUMNS + " FROM ops.replay ORDER BY started_at DESC LIMIT ?", this::view, limit);
    }

    /** Finishes the records of replays that have caught up, whichever node started them. */
    /** Runs every {@code orderly.ops.replay-watch-interval} ({@link OpsAutoConfiguration}). */
    public void watch() {
        try {
            ops.queryForList("SELECT replay_id FROM ops.replay WHERE outcome = 'RUNNING'", UUID.class)
                    .forEach(this::find);
        } catch (RuntimeException e) {
            log.debug("Could not watch replays", e);
        }
    }

    private OpsViews.Replay view(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("replay_id", UUID.class);
        String processor = rs.getString("processor_name");
        Instant started = rs.getTimestamp("started_at").toInstant();
        long target = rs.getLong("target_position");
        String outcome = rs.getString("outcome");
        Timestamp ended = rs.getTimestamp("ended_at");
        String detail = rs.getString("detail");
        long position = target;
        double percent = 100.0;
        Long eta = null;
        if ("RUNNING".equals(outcome)) {
            Progress progress = progress(processor, target);
            position = progress.position;
            percent = progress.percent;
            if (progress.done) {
                Instant now = clock.instant();
                finish(id, "COMPLETED", null);
                outcome = "COMPLETED";
                ended = Timestamp.from(now);
            } else if (position >= 0) {
                eta = Eta.secondsLeft(started, clock.instant(), percent);
            }
        } else if ("FAILED".equals(outcome)) {
            position = -1;
            percent = 0;
        }
        return new OpsViews.Replay(id.toString(), processor, rs.getString("domain"), rs.getString("requested_by"),
                rs.getString("node"), started, target, position, outcome, percent, eta,
                ended == null ? null : ended.toInstant(), detail, OpsViews.nodes(rs.getString("waiting_for")),
                OpsViews.nodes(rs.getString("released_by")));
    }

    private record Progress(long position, double percent, boolean done) {
    }

    /**
     * How far the slowest segment is towards the head the replay aims for. Done once every segment has
     * handled that head: Axon keeps a segment flagged as replaying until it sees an event newer than its
     * position at the reset, which on a quiet store may be never, so the flag cannot mark the end.
     */
    private Progress progress(String processor, long target) {
        List<SegmentPosition> segments = lag.segments(processor);
        long position = segments.stream().mapToLong(SegmentPosition::position).min().orElse(-1L);
        if (target < 0) {
            return new Progress(position, 100.0, true);
        }
        boolean done = !segments.isEmpty() && position >= target;
        double percent = done ? 100.0 : Math.min(99.9, Math.max(0, 100.0 * (position + 1) / (target + 1)));
        return new Progress(position, Math.round(percent * 10) / 10.0, done);
    }

    private void finish(UUID id, String outcome, String detail) {
        ops.update("UPDATE ops.replay SET outcome = ?, ended_at = ?, detail = ? WHERE replay_id = ? AND outcome = 'RUNNING'",
                outcome, Timestamp.from(clock.instant()), detail, id);
        if (!"FAILED".equals(outcome)) {
            log.info("Replay {} {}", id, outcome.toLowerCase());
        }
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }

    private static RefusedException unprocessable(String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, null, message));
    }
}
