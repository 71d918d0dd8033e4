package org.orderly.config.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Coordinates replays and rebuilds across the nodes sharing one database, through {@code ops.processor_hold}.
 * The node that replays or rebuilds a processor inserts a hold on it; every node's watcher (every
 * {@code orderly.ops.hold-watch-interval}) shuts its own instance of a processor another node holds down, which
 * releases that instance's segment claims, keeps it down while the hold lasts, and starts it again once the
 * hold is lifted, when the instance takes segments back the way Axon always does. The holder waits, at most
 * {@code orderly.ops.release-timeout}, until no other node claims a segment of the processor, and only then
 * resets or rebuilds it.
 * <p>
 * Holds are leases: the holder's watcher renews its own, and one whose node died lapses after
 * {@code orderly.ops.hold-lease}, so the other nodes never stay stopped for a node that is gone. Claims too old
 * for Axon to respect (its claim timeout, ten seconds) are not waited for either: a reset takes them over.
 * Expiry is judged by the database's clock, so the nodes' clocks need not agree.
 */
public class ProcessorHolds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessorHolds.class);
    /**
     * Axon's JDBC token store takes a claim not updated for ten seconds for abandoned, and claims it; a second
     * more, so that a claim this class no longer waits for is one the reset surely takes over.
     */
    static final Duration CLAIM_LAPSES_AFTER = Duration.ofSeconds(11);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Supplier<EventProcessingConfiguration> processing;
    private final DomainStores stores;
    private final JdbcTemplate ops;
    private final OpsProperties properties;
    private final Clock clock;
    /** The processors this node holds, whose leases its watcher renews. */
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    /** This node's instances of processors it shut down for another node's hold, to start once the hold is lifted. */
    private final Set<String> stoppedForOthers = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService watcher;
    private volatile Instant lastWatch;

    public ProcessorHolds(Supplier<EventProcessingConfiguration> processing, DomainStores stores, JdbcTemplate ops,
                          OpsProperties properties, Clock clock) {
        this.processing = processing;
        this.stores = stores;
        this.ops = ops;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Holds the processors and waits until no other node claims a segment of any of them.
     *
     * @param purpose  what the hold is for, shown to operators ("replay 6c1e8a4b…")
     * @param progress told the nodes still holding segments while it waits (empty once all released)
     * @return the other nodes that held segments when the hold was taken and released them
     * @throws RefusedException 409 when another node holds one of the processors already, or when a node still
     *                          claims a segment after {@code orderly.ops.release-timeout}; the hold is lifted then
     */
    public List<String> holdAndAwaitRelease(List<String> processors, String purpose, Consumer<List<String>> progress) {
        acquire(processors, purpose);
        try {
            return awaitRelease(processors, progress);
        } catch (RuntimeException e) {
            lift(processors);
            throw e;
        }
    }

    /**
     * Waits, at most {@code orderly.ops.release-timeout}, until no other node claims a segment of the processors
     * this node holds: for a rebuild about to swap, which took its hold long before.
     */
    public List<String> awaitRelease(List<String> processors, Consumer<List<String>> progress) {
        Set<String> released = new LinkedHashSet<>();
        Instant deadline = clock.instant().plus(properties.releaseTimeout());
        List<String> holding = otherOwners(processors);
        List<String> told = List.of();
        while (!holding.isEmpty()) {
            released.addAll(holding);
            if (!holding.equals(told)) {
                progress.accept(holding);
                told = holding;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new RefusedException(Refusal.conflict(null, "Node " + String.join(", ", holding)
                        + " did not release its segments of " + String.join(", ", processors) + " within "
                        + properties.releaseTimeout().toMillis() + " ms (is it hung, or too old to watch holds?); "
                        + "nothing was reset; stop the processor there, or the node, and ask again"));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for other nodes to release", e);
            }
            holding = otherOwners(processors);
        }
        if (!told.isEmpty()) {
            progress.accept(List.of());
        }
        return List.copyOf(released);
    }

    /** Lifts this node's holds on the processors: the other nodes start their instances again. */
    public void lift(Collection<String> processors) {
        mine.removeAll(processors);
        for (String processor : processors) {
            try {
                ops.update("DELETE FROM ops.processor_hold WHERE processor_name = ? AND node = ?", processor,
                        stores.nodeId());
            } catch (RuntimeException e) {
                // The lease lapses on its own, since this node no longer renews it.
                log.warn("Could not lift the hold on {}; it lapses within {}", processor, properties.holdLease(), e);
            }
        }
    }

    /** The live holds, by processor: the node holding it and what for. */
    public Map<String, Hold> holds() {
        Map<String, Hold> holds = new java.util.TreeMap<>();
        ops.query("SELECT processor_name, node, purpose FROM ops.processor_hold WHERE expires_at > now()", rs -> {
            holds.put(rs.getString(1), new Hold(rs.getString(1), rs.getString(2), rs.getString(3)));
        });
        return holds;
    }

    /** A processor one node holds. */
    public record Hold(String processor, String node, String purpose) {
    }

    /** When the watcher last ran to the end; {@code null} before its first run. */
    public Instant lastWatch() {
        return lastWatch;
    }

    /**
     * One look at the holds: renews this node's, stops this node's instances of processors other nodes hold,
     * and starts the ones it stopped whose hold was lifted or lapsed.
     */
    void watch() {
        try {
            String node = stores.nodeId();
            if (!mine.isEmpty()) {
                for (String processor : mine) {
                    ops.update("UPDATE ops.processor_hold SET expires_at = now() + make_interval(secs => ?) "
                            + "WHERE node = ? AND processor_name = ?", seconds(properties.holdLease()), node, processor);
                }
            }
            Map<String, Hold> holds = holds();
            for (Hold hold : holds.values()) {
                if (hold.node().equals(node)) {
                    continue;
                }
                processing.get().eventProcessor(hold.processor(), StreamingEventProcessor.class)
                        .filter(StreamingEventProcessor::isRunning)
                        .ifPresent(instance -> {
                            log.info("Stopping processor {} on this node while node {} holds it for {}",
                                    hold.processor(), hold.node(), hold.purpose());
                            stoppedForOthers.add(hold.processor());
                            instance.shutDown();
                        });
            }
            for (String processor : new ArrayList<>(stoppedForOthers)) {
                Hold hold = holds.get(processor);
                if (hold == null || hold.node().equals(node)) {
                    stoppedForOthers.remove(processor);
                    processing.get().eventProcessor(processor, StreamingEventProcessor.class)
                            .filter(instance -> !instance.isRunning())
                            .ifPresent(instance -> {
                                log.info("Starting processor {} again on this node: its hold was lifted", processor);
                                instance.start();
                            });
                }
            }
            lastWatch = clock.instant();
        } catch (RuntimeException e) {
            log.warn("Could not watch processor holds", e);
        }
    }

    /** Whether this node's instance of the processor is stopped because another node holds it. */
    public boolean stoppedForAnotherNode(String processor) {
        return stoppedForOthers.contains(processor);
    }

    private void acquire(List<String> processors, String purpose) {
        String node = stores.nodeId();
        for (String processor : processors) {
            ops.update("DELETE FROM ops.processor_hold WHERE processor_name = ? AND expires_at <= now()", processor);
        }
        // One statement, so that either every processor is held or none is.
        String values = String.join(", ", java.util.Collections.nCopies(processors.size(),
                "(?, ?, ?, now() + make_interval(secs => ?))"));
        List<Object> arguments = new ArrayList<>();
        for (String processor : processors) {
            arguments.addAll(List.of(processor, node, purpose, seconds(properties.holdLease())));
        }
        try {
            ops.update("INSERT INTO ops.processor_hold (processor_name, node, purpose, expires_at) VALUES " + values,
                    arguments.toArray());
        } catch (DuplicateKeyException e) {
            String holders = holds().values().stream().filter(hold -> processors.contains(hold.processor()))
                    .map(hold -> hold.processor() + " is held by node " + hold.node() + " for " + hold.purpose())
                    .reduce((a, b) -> a + "; " + b).orElse("another node holds it");
            throw new RefusedException(Refusal.conflict(null, holders));
        }
        mine.addAll(processors);
    }

    /**
     * The other nodes claiming a segment of one of the processors, from the token tables, so every node's
     * claims are seen; a claim older than Axon's claim timeout is left out, as a reset takes it over anyway.
     */
    List<String> otherOwners(List<String> processors) {
        Set<String> owners = new LinkedHashSet<>();
        Instant stale = clock.instant().minus(CLAIM_LAPSES_AFTER);
        for (String processor : processors) {
            DomainStore store = stores.forProcessingGroup(processor).orElse(null);
            if (store == null) {
                continue;
            }
            store.jdbc().query("SELECT owner, time_stamp FROM token_entry WHERE processor_name = ? "
                    + "AND owner IS NOT NULL AND owner <> ?", rs -> {
                if (!claimedBefore(rs.getString("time_stamp"), stale)) {
                    owners.add(rs.getString("owner"));
                }
            }, processor, stores.nodeId());
        }
        return List.copyOf(owners);
    }

    private static boolean claimedBefore(String timestamp, Instant stale) {
        try {
            return timestamp != null && Instant.parse(timestamp).isBefore(stale);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    // Started late among the lifecycle phases, once the processing configuration exists; a processor that
    // Axon starts after a look at the holds is stopped at the next look. Stopped early, lifting this node's
    // holds before its processors stop.
    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "orderly-processor-holds");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.holdWatchInterval().toMillis();
        executor.scheduleWithFixedDelay(this::watch, 0, interval, TimeUnit.MILLISECONDS);
        watcher = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = watcher;
        watcher = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!mine.isEmpty()) {
            lift(List.copyOf(mine));
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }
}
