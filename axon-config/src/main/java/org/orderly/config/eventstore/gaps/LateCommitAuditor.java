package org.orderly.config.eventstore.gaps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Looks for passed indexes that have since committed, reports each, and delivers its event to every processor of
 * this node once the processor's tokens have passed it (see the package description).
 */
public final class LateCommitAuditor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LateCommitAuditor.class);

    /** Indexes looked up in one query. */
    private static final int LOOKUP_CHUNK = 10_000;

    private final PassedGaps gaps;
    private final GapWatchingStorageEngine engine;
    private final JdbcTemplate eventStore;
    private final Supplier<EventProcessingConfiguration> processing;
    private final Duration interval;
    private final Duration horizon;
    private final Clock clock;
    private final Counter lateCommits;
    private final MeterRegistry meters;

    /** Late events not yet delivered to every processor, by global index. Only the audit thread changes it. */
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong found = new AtomicLong();
    private volatile Report last;
    private volatile String failing;
    private volatile ScheduledExecutorService scheduler;

    /** A late commit and whom it reached. */
    public record Report(long globalIndex, Instant passedAt, Instant foundAt, List<String> deliveredTo) {
    }

    private static final class Pending {
        final long index;
        final Instant passedAt;
        final Instant foundAt;
        final Set<String> remaining;
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        TrackedEventMessage<?> event;

        Pending(long index, Instant passedAt, Instant foundAt, Set<String> remaining) {
            this.index = index;
            this.passedAt = passedAt;
            this.foundAt = foundAt;
            this.remaining = remaining;
        }
    }

    public LateCommitAuditor(PassedGaps gaps, GapWatchingStorageEngine engine, JdbcTemplate eventStore,
                             Supplier<EventProcessingConfiguration> processing,
                             Duration interval, Duration horizon, MeterRegistry meters, Clock clock) {
        this.gaps = gaps;
        this.engine = engine;
        this.eventStore = eventStore;
        this.processing = processing;
        this.interval = interval;
        this.horizon = horizon;
        this.clock = clock;
        this.meters = meters;
        this.lateCommits = meters == null ? null : Counter.builder("orderly.eventstore.late.commits")
                .description("Events committed after every reader had passed their global index, found and "
                        + "delivered again").register(meters);
    }

    /** Looks once: finds late commits and delivers what processors have passed. */
    public void audit() {
        try {
            failing = null;
            find();
            deliver();
        } catch (RuntimeException e) {
            failing = e.toString();
            log.warn("Looking for late event store commits failed; trying again in {}", interval, e);
        }
    }

    private void find() {
        List<Long> watched = gaps.watched();
        for (int from = 0; from < watched.size(); from += LOOKUP_CHUNK) {
            Object[] chunk = watched.subList(from, Math.min(watched.size(), from + LOOKUP_CHUNK)).toArray();
            List<Long> committed = eventStore.query(
                    "SELECT global_index FROM event_store.domain_event_entry WHERE global_index = ANY (?)",
                    statement -> statement.setArray(1, statement.getConnection().createArrayOf("bigint", chunk)),
                    (rs, row) -> rs.getLong(1));
            for (Long index : committed) {
                Instant passedAt = gaps.remove(index);
                Instant now = clock.instant();
                Set<String> processors = ConcurrentHashMap.newKeySet();
                processors.addAll(processorNames());
                found.incrementAndGet();
                if (lateCommits != null) {
                    lateCommits.increment();
                }
                log.warn("Event store index {} committed after the event store's readers passed it ({} before); "
                                + "delivering it to those of processors {} that handle it once each has passed it",
                        index, passedAt == null ? "?" : Duration.between(passedAt, now), processors);
                pending.put(index, new Pending(index, passedAt, now, processors));
            }
        }
    }

    private void deliver() {
        Instant oldest = clock.instant().minus(horizon);
        for (Pending late : List.copyOf(pending.values())) {
            for (String processor : List.copyOf(late.remaining)) {
                Optional<EventProcessor> found = processing.get().eventProcessor(processor);
                if (found.isEmpty() || !(found.get() instanceof StreamingEventProcessor streaming)
                        || !(found.get() instanceof AbstractEventProcessor invoking)) {
                    late.remaining.remove(processor);
                    continue;
                }
                if (!passed(streaming, late.index)) {
                    continue;
                }
                if (gaps.handledBy(late.index).contains(processor)) {
                    // it read the event through tokens that waited for it
                    late.remaining.remove(processor);
                    continue;
                }
                if (late.event == null) {
                    late.event = load(late.index);
                }
                EventHandlerInvoker invoker = invoking.eventHandlerInvoker();
                if (!invoker.canHandle(late.event, segmentOf(invoker, late.event))) {
                    late.remaining.remove(processor);
                    continue;
                }
                try {
                    handle(processor, invoking, late.event);
                } catch (RuntimeException e) {
                    failing = e.toString();
                    log.warn("Delivering event store index {} to processor {} failed; trying again in {}",
                            late.index, processor, interval, e);
                    continue;
                }
                late.remaining.remove(processor);
                late.delivered.add(processor);
                if (meters != null) {
                    meters.counter("orderly.eventstore.late.commits.delivered", "processor", processor).increment();
                }
                log.info("Delivered event store index {} ({}) to processor {}", late.index,
                        late.event.getPayloadType().getSimpleName(), processor);
            }
            if (late.remaining.isEmpty() || late.foundAt.isBefore(oldest)) {
                if (!late.remaining.isEmpty()) {
                    log.warn("Event store index {} was not delivered to processors {}: they did not pass it within {}",
                            late.index, late.remaining, horizon);
                }
                pending.remove(late.index);
                gaps.forget(late.index);
                last = new Report(late.index, late.passedAt, late.foundAt, List.copyOf(late.delivered));
            }
        }
    }

    /** Whether every segment this node works on has passed the index without waiting for it. */
    private static boolean passed(StreamingEventProcessor processor, long index) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty()) {
            return false;
        }
        for (EventTrackerStatus segment : status.values()) {
            TrackingToken token = segment.getTrackingToken();
            GapAwareTrackingToken gapAware = token == null ? null
                    : WrappedToken.unwrap(token, GapAwareTrackingToken.class).orElse(null);
            if (gapAware == null || gapAware.getIndex() < index || gapAware.getGaps().contains(index)) {
                return false;
            }
        }
        return true;
    }

    private TrackedEventMessage<?> load(long index) {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(index - 1, Collections.emptySortedSet());
        try (Stream<? extends TrackedEventMessage<?>> events = engine.unwatched().readEvents(before, false)) {
            return events.findFirst()
                    .filter(event -> event.trackingToken().position().orElse(-1) == index)
                    .orElseThrow(() -> new IllegalStateException("Event store index " + index + " is not readable"));
        }
    }

    private void handle(String processor, AbstractEventProcessor invoking, TrackedEventMessage<?> event) {
        // the processor's own (each domain store registers its pool's transaction manager for its processors)
        TransactionManager transactions = processing.get().transactionManager(processor);
        UnitOfWork<? extends TrackedEventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        unitOfWork.attachTransaction(transactions);
        unitOfWork.executeWithResult(() -> {
            invoking.eventHandlerInvoker().handle(event, segmentOf(invoking.eventHandlerInvoker(), event));
            return null;
        }, e -> true);
        if (unitOfWork.getExecutionResult().isExceptionResult()) {
            Throwable failure = unitOfWork.getExecutionResult().getExceptionResult();
            throw new IllegalStateException("Delivering event store index " + event.trackingToken()
                    + " to processor " + processor + " failed", failure);
        }
    }

    /**
     * A segment of the event's sequence alone. The dead-letter queue's invoker keeps a cache per segment that only its
     * segment's worker may touch; handing the event in under a segment no worker has keeps this thread out of them.
     */
    static Segment segmentOf(EventHandlerInvoker invoker, EventMessage<?> event) {
        if (!(invoker instanceof SimpleEventHandlerInvoker simple)) {
            return Segment.ROOT_SEGMENT;
        }
        Object sequence = simple.getSequencingPolicy().getSequenceIdentifierFor(event);
        return new SequenceSegment(Objects.hashCode(sequence) & Integer.MAX_VALUE);
    }

    /** The segment of one sequence's hash: the finest split there is. */
    private static final class SequenceSegment extends Segment {
        SequenceSegment(int hash) {
            super(hash, Integer.MAX_VALUE);
        }
    }

    /** Every streaming processor this node runs: each reads the event store by index, so each may miss a gap. */
    private List<String> processorNames() {
        return processing.get().eventProcessors().entrySet().stream()
                .filter(processor -> processor.getValue() instanceof StreamingEventProcessor)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** What the {@code lateCommits} health component shows. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("watchedGaps", gaps.size());
        details.put("lateCommits", found.get());
        details.put("awaitingDelivery", pending.values().stream()
                .collect(Collectors.toMap(p -> p.index, p -> List.copyOf(p.remaining))));
        Report report = last;
        if (report != null) {
            details.put("lastLateCommit", report);
        }
        if (failing != null) {
            details.put("failing", failing);
        }
        return details;
    }

    public boolean isFailing() {
        return failing != null;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-late-commit-auditor");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::audit, millis, millis, TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        scheduler = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
