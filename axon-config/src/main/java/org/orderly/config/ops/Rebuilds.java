package org.orderly.config.ops;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.StreamableMessageSource;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.processing.EventAge;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessorLag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Zero-downtime rebuilds of a domain's read schema. A rebuild is of a whole domain, because a domain's
 * processors share one schema (orders: the order projection and its {@code -copies} processors): it
 * <ol>
 *   <li>empties {@code <domain>_rebuild} and runs the domain's migrations into it;</li>
 *   <li>runs a second, shadow processor per processing group from the start of the event store, under the
 *       live group's own name, whose transactions put the shadow schema first on the search path: the
 *       unchanged projection beans write their unqualified tables there, beside the shadow's tokens and
 *       dead letters, while queries and the live processors carry on in the live schema;</li>
 *   <li>once the shadow has reached the head as it was when the rebuild began, stops the live processors
 *       (queries keep reading the live tables, at most seconds stale), lets the shadow reach the head as it is
 *       now, stops it, and in one transaction drops every relation of the live schema and moves every
 *       relation of the shadow in ({@code ALTER TABLE ... SET SCHEMA}). PostgreSQL's DDL is transactional, so
 *       a query sees either the old tables or the new ones, never a half-built read model;</li>
 *   <li>starts the live processors again: they find the shadow's tokens under their own name and carry on
 *       from where the shadow stopped, with the shadow's dead letters too.</li>
 * </ol>
 * Why tables move instead of the schemas being renamed: renaming or creating a schema needs CREATE on the
 * database, which a domain role never has; moving a table needs only its ownership, which the role has.
 * Any failure drops what the shadow built, restarts the live processors and records the rebuild FAILED:
 * the live schema is untouched until the single swap transaction commits.
 * <p>
 * Each rebuild is recorded in {@code ops.rebuild}; the node that started it runs it and keeps the record's
 * phase and position current, so any node can show its progress.
 * <p>
 * In a cluster the rebuilding node holds the domain's processors from the request to the end
 * ({@link ProcessorHolds}): the other nodes stop their instances, releasing their segments, before anything
 * starts, and start them again only once the rebuilt schema is live (or the rebuild failed). This node's live
 * processors take the released segments over meanwhile, so the live read model stays current. Holding until
 * the end rather than until the swap alone is what keeps another node from processing on with positions and
 * claims read from the token table the swap replaces: when it starts again it reads the new one.
 */
public class Rebuilds implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);
    private static final String COLUMNS = "rebuild_id, domain, processors, requested_by, node, started_at, "
            + "target_position, phase, outcome, position, ended_at, detail, waiting_for, released_by";
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * How long a RUNNING record may go without a heartbeat before a new rebuild of its domain takes it for
     * abandoned (its node died: node ids carry the pid, so the restarted node does not recognise it as its own).
     * Far above the heartbeat's one second, and above the swap's 30 s lock timeout.
     */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private final Supplier<EventProcessingConfiguration> processing;
    private final Supplier<Configuration> axon;
    private final DomainStores stores;
    private final ProcessorLag lag;
    private final Replays replays;
    private final JdbcTemplate ops;
    private final ProcessorHolds holds;
    private final ProcessorProperties properties;
    private final Clock clock;
    private final ExecutorService runner = Executors.newCachedThreadPool(named("orderly-rebuild"));
    /** The rebuilds this node runs, by id, for their live progress. */
    private final Map<UUID, Run> running = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public Rebuilds(Supplier<EventProcessingConfiguration> processing, Supplier<Configuration> axon,
                    DomainStores stores, ProcessorLag lag, Replays replays, JdbcTemplate ops, ProcessorHolds holds,
                    ProcessorProperties properties, Clock clock) {
        this.processing = processing;
        this.axon = axon;
        this.stores = stores;
        this.lag = lag;
        this.replays = replays;
        this.ops = ops;
        this.holds = holds;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * A rebuild this node was running when it stopped cannot be resumed (its shadow processors lived in
     * memory only): its record is closed as FAILED at the next start, so that it does not block the domain.
     * The live schema was never touched unless the swap committed, and the next rebuild empties the shadow.
     */
    @Override
    public void afterPropertiesSet() {
        int closed = ops.update("UPDATE ops.rebuild SET outcome = 'FAILED', phase = 'DONE', ended_at = ?, "
                        + "detail = 'the node running it stopped before it finished' WHERE outcome = 'RUNNING' AND node = ?",
                Timestamp.from(clock.instant()), stores.nodeId());
        if (closed > 0) {
            log.warn("Closed {} rebuild(s) this node was running when it last stopped", closed);
        }
    }

    /** Checks that the domain of {@code processorName} may be rebuilt now, records the rebuild and starts it. */
    public OpsViews.Rebuild start(String processorName, String requestedBy) {
        EventProcessor processor = processing.get().eventProcessors().get(processorName);
        if (processor == null) {
            throw new RefusedException(Refusal.notFound("No event processor named " + processorName));
        }
        if (ProcessorKind.of(processor) == ProcessorKind.SAGA) {
            throw unprocessable(processorName + " is a saga processor; saga state is no read model and is never "
                    + "rebuilt, the sagas would act again");
        }
        DomainStore store = stores.forProcessingGroup(processorName).orElseThrow(() ->
                unprocessable(processorName + " belongs to no domain store, so it has no schema to rebuild"));
        if (!store.sagaProcessingGroups().isEmpty()) {
            throw unprocessable("Schema " + store.schema() + " also holds the state of saga processors "
                    + store.sagaProcessingGroups() + ", which events cannot rebuild");
        }
        if (store.notRebuildableBecause() != null) {
            throw unprocessable("Domain " + store.name() + " cannot be rebuilt: " + store.notRebuildableBecause());
        }
        List<String> groups = store.processingGroups();
        for (String group : groups) {
            EventProcessor live = processing.get().eventProcessors().get(group);
            if (!(live instanceof PooledStreamingEventProcessor) || invokerOf(live).isEmpty()) {
                throw unprocessable(group + " is not a pooled streaming processor of annotated handlers, "
                        + "so no shadow of it can be built");
            }
        }
        if (!shadowSchemaExists(store)) {
            throw unprocessable("Schema " + store.shadowSchema() + " does not exist or is not owned by "
                    + store.role() + "; an administrator creates it (README, 'External PostgreSQL')");
        }
        for (String group : groups) {
            replays.running(group).ifPresent(replay -> {
                throw new RefusedException(Refusal.conflict(null, "A replay of " + group + " is running: "
                        + replay.replayId() + "; rebuild " + store.name() + " once it has finished"));
            });
        }
        Instant now = clock.instant();
        ops.update("UPDATE ops.rebuild SET outcome = 'FAILED', phase = 'DONE', ended_at = ?, detail = ? "
                        + "WHERE domain = ? AND outcome = 'RUNNING' AND heartbeat_at < ?", Timestamp.from(now),
                "abandoned: no heartbeat from its node for " + ABANDONED_AFTER.toSeconds() + " s", store.name(),
                Timestamp.from(now.minus(ABANDONED_AFTER)));
        UUID id = UUID.randomUUID();
        long target = lag.head();
        try {
            ops.update("INSERT INTO ops.rebuild (rebuild_id, domain, processors, requested_by, node, started_at, "
                            + "target_position, phase, outcome, position) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, 'PREPARING', 'RUNNING', -1)",
                    id, store.name(), String.join(",", groups), requestedBy, stores.nodeId(),
                    Timestamp.from(clock.instant()), target);
        } catch (DuplicateKeyException e) {
            throw new RefusedException(Refusal.conflict(null, "A rebuild of " + store.name() + " is already running: "
                    + running(store.name()).map(OpsViews.Rebuild::rebuildId).orElse("on another node")));
        }
        List<String> released;
        try {
            released = holds.holdAndAwaitRelease(groups, "rebuild " + id, waiting -> waitingFor(id, waiting));
        } catch (RuntimeException e) {
            ops.update("UPDATE ops.rebuild SET outcome = 'FAILED', phase = 'DONE', ended_at = ?, detail = ? "
                    + "WHERE rebuild_id = ?", Timestamp.from(clock.instant()), truncate(String.valueOf(e.getMessage())), id);
            throw e;
        }
        if (!released.isEmpty()) {
            ops.update("UPDATE ops.rebuild SET released_by = ? WHERE rebuild_id = ?", String.join(",", released), id);
            log.info("Rebuild {} of domain {}: nodes {} released {}", id, store.name(), released, groups);
        }
        Run run = new Run(id, store, groups, target);
        running.put(id, run);
        try {
            runner.execute(() -> run.execute(requestedBy));
        } catch (RuntimeException e) {
            running.remove(id);
            holds.lift(groups);
            throw e;
        }
        log.info("Rebuild {} of domain {} ({}) started by {}, up to global index {}", id, store.name(), groups,
                requestedBy, target);
        return find(id).orElseThrow();
    }

    public Optional<OpsViews.Rebuild> find(UUID id) {
        return ops.query("SELECT " + COLUMNS + " FROM ops.rebuild WHERE rebuild_id = ?", this::view, id)
                .stream().findFirst();
    }

    /** The running rebuild of a domain, whichever node runs it. */
    public Optional<OpsViews.Rebuild> running(String domain) {
        return ops.query("SELECT " + COLUMNS + " FROM ops.rebuild WHERE domain = ? AND outcome = 'RUNNING'",
                this::view, domain).stream().findFirst();
    }

    public List<OpsViews.Rebuild> recent(int limit) {
        return ops.query("SELECT " + COLUMNS + " FROM ops.rebuild ORDER BY started_at DESC LIMIT ?", this::view, limit);
    }

    /** Stops the rebuilds this node runs: their shadows are dropped, the live schemas stay as they are. */
    @Override
    public void destroy() throws InterruptedException {
        closing = true;
        runner.shutdownNow();
        if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("Rebuilds did not stop within 30 s");
        }
    }

    private boolean shadowSchemaExists(DomainStore store) {
        Integer owned = store.jdbc().queryForObject("""
                SELECT count(*) FROM pg_namespace WHERE nspname = ? AND nspowner = (
                    SELECT oid FROM pg_roles WHERE rolname = current_user)
                """, Integer.class, store.shadowSchema());
        return owned != null && owned > 0;
    }

    private void waitingFor(UUID id, List<String> nodes) {
        ops.update("UPDATE ops.rebuild SET waiting_for = ? WHERE rebuild_id = ?",
                nodes.isEmpty() ? null : String.join(",", nodes), id);
    }

    private OpsViews.Rebuild view(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("rebuild_id", UUID.class);
        Instant started = rs.getTimestamp("started_at").toInstant();
        long target = rs.getLong("target_position");
        String outcome = rs.getString("outcome");
        Timestamp ended = rs.getTimestamp("ended_at");
        long position = rs.getLong("position");
        Run run = running.get(id);
        if (run != null && "RUNNING".equals(outcome)) {
            position = Math.max(position, run.position());
        }
        double percent;
        Long eta = null;
        if ("COMPLETED".equals(outcome)) {
            percent = 100.0;
        } else if (target < 0) {
            percent = "FAILED".equals(outcome) ? 0 : 99.9;
        } else {
            percent = Math.min(99.9, Math.max(0, 100.0 * (position + 1) / (target + 1)));
            percent = Math.round(percent * 10) / 10.0;
            if ("RUNNING".equals(outcome) && position >= 0) {
                eta = Eta.secondsLeft(started, clock.instant(), percent);
            }
        }
        return new OpsViews.Rebuild(id.toString(), rs.getString("domain"),
                List.of(rs.getString("processors").split(",")), rs.getString("requested_by"), rs.getString("node"),
                started, target, position, rs.getString("phase"), outcome, percent, eta,
                ended == null ? null : ended.toInstant(), rs.getString("detail"),
                OpsViews.nodes(rs.getString("waiting_for")), OpsViews.nodes(rs.getString("released_by")));
    }

    /** The annotated handlers of a live processor, the ones its shadow runs too. */
    private static Optional<SimpleEventHandlerInvoker> invokerOf(EventProcessor processor) {
        if (!(processor instanceof AbstractEventProcessor p)) {
            return Optional.empty();
        }
        EventHandlerInvoker invoker = p.eventHandlerInvoker();
        if (invoker instanceof MultiEventHandlerInvoker multi && multi.delegates().size() == 1) {
            invoker = multi.delegates().get(0);
        }
        return invoker instanceof SimpleEventHandlerInvoker simple ? Optional.of(simple) : Optional.empty();
    }

    private static RefusedException unprocessable(String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, null, message));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One rebuild, run by this node. */
    private final class Run {
        private final UUID id;
        private final DomainStore store;
        private final List<String> groups;
        private final long target;
        /** Read by request threads for progress while the runner fills it. */
        private final Map<String, Shadow> shadows = new ConcurrentHashMap<>();
        private final List<StreamingEventProcessor> stoppedLive = new ArrayList<>();

        Run(UUID id, DomainStore store, List<String> groups, long target) {
            this.id = id;
            this.store = store;
            this.groups = groups;
            this.target = target;
        }

        void execute(String requestedBy) {
            boolean swapped = false;
            try {
                emptyShadow();
                OrderlyDatabaseAutoConfiguration.migrate(store.dataSource(), store.shadowSchema(),
                        "classpath:db/domain-store", "classpath:db/migration/" + store.name());
                // The token store's identity (Axon's '__config' row) carries over, so the swap does not change it.
                store.jdbc().update("INSERT INTO " + quote(store.shadowSchema()) + ".token_entry SELECT * FROM "
                        + quote(store.schema()) + ".token_entry WHERE processor_name = '__config'");
                phase("BUILDING");
                for (String group : groups) {
                    shadows.put(group, shadow(group));
                }
                shadows.values().forEach(shadow -> shadow.processor.start());
                awaitShadowAt(target);

                // The shadow has caught up with the head as it was: stop the live processors, so that no event
                // is handled by both, and let the shadow reach the head as it is now. Queries keep being
                // answered from the live tables meanwhile, a few seconds stale at most.
                phase("SWAPPING");
                for (String group : groups) {
                    StreamingEventProcessor live = processing.get()
                            .eventProcessor(group, StreamingEventProcessor.class).orElseThrow();
                    live.shutDown();
                    stoppedLive.add(live);
                }
                // A node that started meanwhile stops its instances within a watch interval; one that does not
                // fails the rebuild here, before anything of the live schema is touched.
                holds.awaitRelease(groups, nodes -> waitingFor(id, nodes));
                awaitShadowAt(lag.head());
                long reached = position();
                shadows.values().forEach(Shadow::stop);
                swap();
                swapped = true;
                shadows.clear();
                startLive();
                ops.update("UPDATE ops.rebuild SET outcome = 'COMPLETED', phase = 'DONE', position = ?, ended_at = ? "
                        + "WHERE rebuild_id = ?", reached, Timestamp.from(clock.instant()), id);
                log.info("Rebuild {} of domain {} completed; the rebuilt schema is live", id, store.name());
            } catch (Throwable e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (swapped) {
                    // Only recording the end failed: the rebuilt schema is live and its processors started.
                    log.error("Rebuild {} of domain {} was swapped in, but could not be recorded", id, store.name(), e);
                    return;
                }
                log.warn("Rebuild {} of domain {} failed; the live schema is unchanged", id, store.name(), e);
                shadows.values().forEach(Shadow::stop);
                try {
                    emptyShadow();
                } catch (RuntimeException cleanup) {
                    log.warn("Could not empty {} after rebuild {} failed", store.shadowSchema(), id, cleanup);
                }
                if (!closing) {
                    startLive();
                }
                ops.update("UPDATE ops.rebuild SET outcome = 'FAILED', phase = 'DONE', ended_at = ?, detail = ? "
                                + "WHERE rebuild_id = ?", Timestamp.from(clock.instant()),
                        truncate(closing ? "the node stopped during the rebuild" : String.valueOf(e)), id);
            } finally {
                running.remove(id);
                // The live processors run on the rebuilt schema (or the unchanged one): other nodes may too.
                holds.lift(groups);
            }
        }

        private void startLive() {
            for (StreamingEventProcessor live : stoppedLive) {
                try {
                    live.start();
                } catch (RuntimeException e) {
                    log.error("Could not restart processor {} after rebuild {}", live.getName(), id, e);
                }
            }
            stoppedLive.clear();
        }

        private Shadow shadow(String group) {
            EventProcessor liveProcessor = processing.get().eventProcessors().get(group);
            SimpleEventHandlerInvoker handlers = invokerOf(liveProcessor).orElseThrow();
            Configuration config = axon.get();
            TransactionManager transactions = store.shadowTransactionManager();
            // A rebuild is one long catch-up: as many segments as a live processor is split into to catch up
            // (or as it has, if more). After the swap they are the live processor's segments, which
            // LagDrivenSegmentScaler merges back once it keeps up.
            int live = lag.segments(group).size();
            int segments = Math.max(live, Math.max(properties.initialSegments(),
                    properties.catchUpSegments()));
            // A dead-lettering invoker of its own, over the shadow's queue: an event the live processor parked
            // is parked again in the shadow (and moves in with it), instead of stopping the rebuild.
            DeadLetteringEventHandlerInvoker invoker = DeadLetteringEventHandlerInvoker.builder()
                    .eventHandlers(handlers.eventHandlers())
                    .sequencingPolicy(handlers.getSequencingPolicy())
                    .queue(store.shadowDeadLetterQueue(group, config.eventSerializer(), config.serializer(),
                            properties.deadLetterMaxSequences()))
                    .transactionManager(transactions)
                    .build();
            ScheduledExecutorService coordinator = Executors.newScheduledThreadPool(1,
                    named("rebuild-" + group + "-coordinator"));
            ScheduledExecutorService workers = Executors.newScheduledThreadPool(segments,
                    named("rebuild-" + group + "-worker"));
            @SuppressWarnings({"unchecked", "rawtypes"})
            StreamableMessageSource<TrackedEventMessage<?>> events = (StreamableMessageSource) config.eventStore();
            PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                    // The live group's own name: after the swap its tokens and dead letters are the live ones.
                    .name(group)
                    .eventHandlerInvoker(invoker)
                    .messageSource(events)
                    .tokenStore(store.shadowTokenStore(config.serializer()))
                    .transactionManager(transactions)
                    .coordinatorExecutor(coordinator)
                    .workerExecutor(workers)
                    .initialSegmentCount(segments)
                    .initialToken(StreamableMessageSource::createTailToken)
                    .batchSize(Math.max(100, properties.batchSize()))
                    .tokenClaimInterval(500)
                    .build();
            if (liveProcessor instanceof AbstractEventProcessor p) {
                for (MessageHandlerInterceptor<? super EventMessage<?>> interceptor : p.getHandlerInterceptors()) {
                    // The shadow reads history: its events' ages are not how fresh the live read model is.
                    if (!(interceptor instanceof EventAge)) {
                        processor.registerHandlerInterceptor(interceptor);
                    }
                }
            }
            return new Shadow(processor, segments, coordinator, workers);
        }

        /** Waits until every segment of every shadow processor has handled the event at {@code head}. */
        private void awaitShadowAt(long head) throws InterruptedException {
            Instant lastWrite = Instant.EPOCH;
            while (position() < head) {
                if (Thread.currentThread().isInterrupted() || closing) {
                    throw new InterruptedException("rebuild interrupted");
                }
                for (Shadow shadow : shadows.values()) {
                    if (!shadow.processor.isRunning()) {
                        throw new IllegalStateException("shadow processor " + shadow.processor.getName() + " stopped");
                    }
                }
                if (Duration.between(lastWrite, clock.instant()).compareTo(Duration.ofSeconds(1)) >= 0) {
                    ops.update("UPDATE ops.rebuild SET position = ?, heartbeat_at = ? WHERE rebuild_id = ?",
                            position(), Timestamp.from(clock.instant()), id);
                    lastWrite = clock.instant();
                }
                Thread.sleep(POLL.toMillis());
            }
            ops.update("UPDATE ops.rebuild SET position = ? WHERE rebuild_id = ?", position(), id);
        }

        /** The global index every segment of every shadow processor has handled; -1 before all are claimed. */
        long position() {
            if (shadows.isEmpty()) {
                return -1;
            }
            long min = Long.MAX_VALUE;
            for (Shadow shadow : new ArrayList<>(shadows.values())) {
                Map<Integer, EventTrackerStatus> status = shadow.processor.processingStatus();
                if (status.size() < shadow.segments) {
                    return -1;
                }
                for (EventTrackerStatus segment : status.values()) {
                    min = Math.min(min, segment.getCurrentPosition().orElse(-1L));
                }
            }
            return min;
        }

        private void phase(String phase) {
            ops.update("UPDATE ops.rebuild SET phase = ?, heartbeat_at = ? WHERE rebuild_id = ?", phase,
                    Timestamp.from(clock.instant()), id);
        }

        /** Drops every relation of the shadow schema, as its owner; the schema itself stays for the next rebuild. */
        private void emptyShadow() {
            store.transactions().executeWithoutResult(status -> dropAll(store.shadowSchema()));
        }

        private void dropAll(String schema) {
            JdbcTemplate jdbc = store.jdbc();
            for (Map<String, Object> relation : relations(schema)) {
                String kind = switch ((String) relation.get("kind")) {
                    case "v" -> "VIEW";
                    case "m" -> "MATERIALIZED VIEW";
                    case "S" -> "SEQUENCE";
                    case "f" -> "FOREIGN TABLE";
                    default -> "TABLE";
                };
                jdbc.execute("DROP " + kind + " IF EXISTS " + quote(schema) + "." + quote((String) relation.get("name"))
                        + " CASCADE");
            }
        }

        /** Views first, then tables, then sequences: whatever a drop cascades to is gone when its turn comes. */
        private List<Map<String, Object>> relations(String schema) {
            return store.jdbc().queryForList("""
                    SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                     ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END, c.relname
                    """, schema);
        }

        /**
         * One transaction: every relation of the live schema dropped, every relation of the shadow moved in.
         * A query waiting on the tables' locks meanwhile looks their names up again once it gets them, so it
         * reads the new tables; one that ran before reads the old ones.
         */
        private void swap() {
            String live = store.schema();
            String shadow = store.shadowSchema();
            store.transactions().executeWithoutResult(status -> {
                JdbcTemplate jdbc = store.jdbc();
                jdbc.execute("SET LOCAL lock_timeout = '30s'");
                dropAll(live);
                // Tables first: their indexes, constraints and owned sequences move along with them.
                List<Map<String, Object>> moving = store.jdbc().queryForList("""
                        SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'f')
                         ORDER BY c.relname
                        """, shadow);
                for (Map<String, Object> table : moving) {
                    jdbc.execute(("f".equals(table.get("kind")) ? "ALTER FOREIGN TABLE " : "ALTER TABLE ")
                            + quote(shadow) + "." + quote((String) table.get("name")) + " SET SCHEMA " + quote(live));
                }
                for (Map<String, Object> rest : relations(shadow)) {
                    String kind = switch ((String) rest.get("kind")) {
                        case "v" -> "VIEW";
                        case "m" -> "MATERIALIZED VIEW";
                        case "S" -> "SEQUENCE";
                        default -> throw new IllegalStateException("Cannot move " + rest + " out of " + shadow);
                    };
                    jdbc.execute("ALTER " + kind + " " + quote(shadow) + "." + quote((String) rest.get("name"))
                            + " SET SCHEMA " + quote(live));
                }
                if (!relations(shadow).isEmpty()) {
                    throw new IllegalStateException("Relations left in " + shadow + ": " + relations(shadow));
                }
            });
        }
    }

    /** A shadow processor and the threads it runs on. */
    private record Shadow(PooledStreamingEventProcessor processor, int segments,
                          ScheduledExecutorService coordinator, ScheduledExecutorService workers) {
        void stop() {
            try {
                if (processor.isRunning()) {
                    processor.shutDown();
                }
            } finally {
                coordinator.shutdownNow();
                workers.shutdownNow();
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String truncate(String detail) {
        return detail.length() > 2000 ? detail.substring(0, 2000) : detail;
    }
}
