package org.orderly.config.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.orderly.config.ProcessorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each projection on few segments while it keeps up and on more while it catches up. At the head a
 * segment is a cost, not a gain: every segment of every processor an event feeds commits its own batch and
 * token per wake-up: on two cores one segment per projection took ~14 % less CPU per registration than two.
 * Far behind (a replay, a rebuild swapped in, a node back after downtime) segments are parallelism: two
 * replayed ~15 % faster than one. So a processor this node runs entirely is split (Axon's split, which keeps
 * each aggregate's events in order within one segment) while it is more than {@code catch-up-lag} events
 * behind, and merged back once it has stayed close to the head for a few checks and is no longer replaying (or its
 * replaying segments stand at the same token, which the merge keeps as it is).
 * A processor whose segments are spread over several nodes is left alone: those nodes chose to share it.
 */
public class LagDrivenSegmentScaler {

    private static final Logger log = LoggerFactory.getLogger(LagDrivenSegmentScaler.class);
    /** Checks in a row a processor must be close to the head before it is merged: no merge on a lull. */
    static final int CALM_CHECKS_BEFORE_MERGE = 5;
    /**
     * A split this soon after a merge means the merge was early: the load still needs the segments. Each such
     * split doubles the calm checks the next merge waits for (up to {@link #MAX_CALM_CHECKS_BEFORE_MERGE}), so a
     * processor under a long load stays split instead of flapping; a split long after the last merge starts over.
     */
    static final Duration FLAP_WINDOW = Duration.ofSeconds(60);
    static final int MAX_CALM_CHECKS_BEFORE_MERGE = 120;

    private final Function<String, Optional<StreamingEventProcessor>> processors;
    private final List<String> projections;
    private final LongSupplier head;
    private final ProcessorProperties settings;
    private final Clock clock;
    private final Map<String, CompletableFuture<Boolean>> changing = new ConcurrentHashMap<>();
    private final Map<String, Integer> calmChecks = new ConcurrentHashMap<>();
    private final Map<String, Integer> calmChecksNeeded = new ConcurrentHashMap<>();
    private final Map<String, Change> lastChange = new ConcurrentHashMap<>();
    private final Map<String, Counter> splits = new ConcurrentHashMap<>();
    private final Map<String, Counter> merges = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private volatile Instant lastCheck;
    private volatile String lastCheckFailure;

    /** A split or merge this node asked for, and how it ended (null while it runs). */
    public record Change(String kind, int segment, Instant at, Boolean succeeded) {
    }

    /**
     * @param projections the projection processors to watch (never saga processors: their segments are sized for
     *                    their own work)
     * @param processors  the running processor of a name, if this node runs it
     * @param head        the global index of the newest event in the store
     */
    public LagDrivenSegmentScaler(List<String> projections, Function<String, Optional<StreamingEventProcessor>> processors,
                           LongSupplier head, ProcessorProperties settings, MeterRegistry registry,
                           Clock clock) {
        this.processors = processors;
        this.projections = List.copyOf(projections);
        this.head = head;
        this.settings = settings;
        this.clock = clock;
        if (registry != null) {
            for (String group : projections) {
                Gauge.builder("orderly.processor.segments", () -> owned(group).size())
                        .description("Segments of the processor this node works on")
                        .tag("processor", group).register(registry);
                splits.put(group, counter(registry, group, "split"));
                merges.put(group, counter(registry, group, "merge"));
                failures.put(group, counter(registry, group, "failed"));
            }
        }
    }

    private static Counter counter(MeterRegistry registry, String group, String change) {
        return Counter.builder("orderly.processor.segment.changes")
                .description("Segments split to catch up, merged once caught up, or changes that failed")
                .tag("processor", group).tag("change", change).register(registry);
    }

    /** Runs every {@code orderly.processors.segment-check-interval} ({@link ProcessingAutoConfiguration}). */
    public void check() {
        if (settings.catchUpSegments() <= settings.initialSegments()) {
            return;
        }
        try {
            long newest = head.getAsLong();
            for (String group : projections) {
                check(group, newest);
            }
            lastCheckFailure = null;
        } catch (RuntimeException e) {
            // The event store or a token store unreachable: the processors report that themselves.
            lastCheckFailure = e.toString();
            log.debug("Could not check the segments of the projections", e);
        }
        lastCheck = clock.instant();
    }

    private void check(String group, long newest) {
        CompletableFuture<Boolean> running = changing.get(group);
        if (running != null && !running.isDone()) {
            return;
        }
        StreamingEventProcessor processor = processors.apply(group).orElse(null);
        if (processor == null || !processor.isRunning() || processor.isError()) {
            return;
        }
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty() || !coversEverySegment(status) || status.values().stream().anyMatch(
                EventTrackerStatus::isErrorState)) {
            calmChecks.remove(group);
            return;
        }
        long behind = newest - status.values().stream()
                .mapToLong(s -> positionOf(s.getCurrentPosition())).min().orElse(-1L);
        if (behind >= settings.catchUpLag() && status.size() < settings.catchUpSegments()) {
            calmChecks.remove(group);
            // No split has followed the last change if it was a merge: whether that merge was early.
            Change last = lastChange.get(group);
            boolean flapping = last != null && "merge".equals(last.kind())
                    && last.at().plus(FLAP_WINDOW).isAfter(clock.instant());
            calmChecksNeeded.put(group, flapping
                    ? Math.min(MAX_CALM_CHECKS_BEFORE_MERGE, 2 * calmChecksBeforeMerge(group))
                    : CALM_CHECKS_BEFORE_MERGE);
            // The segment with the largest share of the sequences: splits stay balanced.
            Segment widest = status.values().stream().map(EventTrackerStatus::getSegment)
                    .min(Comparator.comparingInt(Segment::getMask)).orElseThrow();
            change(group, "split", widest.getSegmentId(), processor.splitSegment(widest.getSegmentId()));
            return;
        }
        // A replayed segment stays flagged as replaying until an event newer than the reset arrives, on a quiet
        // store never; segments at the same token merge into that one token, so they need not wait for it.
        boolean calm = behind < Math.max(1, settings.catchUpLag() / 10)
                && (status.values().stream().noneMatch(EventTrackerStatus::isReplaying)
                || status.values().stream().map(EventTrackerStatus::getTrackingToken).distinct().count() == 1);
        if (!calm || status.size() <= settings.initialSegments()) {
            calmChecks.remove(group);
            return;
        }
        if (calmChecks.merge(group, 1, Integer::sum) < calmChecksBeforeMerge(group)) {
            return;
        }
        calmChecks.remove(group);
        // The narrowest segment, whose sibling this node also works on (it covers every segment).
        Segment narrowest = status.values().stream().map(EventTrackerStatus::getSegment)
                .filter(s -> status.containsKey(s.mergeableSegmentId()) && s.mergeableSegmentId() != s.getSegmentId())
                .max(Comparator.comparingInt(Segment::getMask)).orElse(null);
        if (narrowest != null) {
            change(group, "merge", narrowest.getSegmentId(), processor.mergeSegment(narrowest.getSegmentId()));
        }
    }

    /** The calm checks in a row the processor's next merge waits for. */
    public int calmChecksBeforeMerge(String group) {
        return calmChecksNeeded.getOrDefault(group, CALM_CHECKS_BEFORE_MERGE);
    }

    private void change(String group, String kind, int segment, CompletableFuture<Boolean> result) {
        log.info("Processor {}: {} of segment {} requested ({} segments here, catch-up lag {} events, next merge after "
                + "{} calm checks)", group, kind, segment, owned(group).size(), settings.catchUpLag(),
                calmChecksBeforeMerge(group));
        lastChange.put(group, new Change(kind, segment, clock.instant(), null));
        changing.put(group, result);
        result.whenComplete((done, error) -> {
            boolean succeeded = error == null && Boolean.TRUE.equals(done);
            lastChange.put(group, new Change(kind, segment, clock.instant(), succeeded));
            Counter counter = (succeeded ? ("split".equals(kind) ? splits : merges) : failures).get(group);
            if (counter != null) {
                counter.increment();
            }
            if (!succeeded) {
                log.warn("Processor {}: {} of segment {} did not happen", group, kind, segment, error);
            }
        });
    }

    /** Whether this node works on every segment of the processor: their shares of the sequences add up to one. */
    private static boolean coversEverySegment(Map<Integer, EventTrackerStatus> status) {
        double share = 0;
        for (EventTrackerStatus s : status.values()) {
            share += 1.0 / (s.getSegment().getMask() + 1L);
        }
        return Math.abs(share - 1.0) < 1e-9;
    }

    private static long positionOf(OptionalLong position) {
        return position.isPresent() ? position.getAsLong() : -1L;
    }

    /** The segments of the processor this node works on. */
    public List<Integer> owned(String group) {
        try {
            return processors.apply(group)
                    .map(p -> p.processingStatus().keySet().stream().sorted().toList())
                    .orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    public Change lastChange(String group) {
        return lastChange.get(group);
    }

    /** When the last check ran, or null before the first. */
    public Instant lastCheck() {
        return lastCheck;
    }

    /** Why the last check could not look at the processors, or null. */
    public String lastCheckFailure() {
        return lastCheckFailure;
    }
}
