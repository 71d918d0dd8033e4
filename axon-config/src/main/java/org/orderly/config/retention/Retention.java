package org.orderly.config.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.media.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every {@link RetentionTask}, one kind after the other, on a worker thread of its own: the scheduler that
 * starts a run every {@code orderly.retention.interval} is Spring's shared one, which a run of many batches must
 * not hold up. A run asked for while one is running is queued behind it (once), so an operator's "run now" is
 * always answered by a run that starts after the ask.
 * <p>
 * One kind failing does not stop the others; its error is kept until its next successful run, shown at
 * {@code GET /api/ops/retention}, counted in {@code orderly.retention.failing} and makes health {@code retention}
 * DEGRADED. The scheduled runs are once per cluster: each node's timer asks for the cluster's turn
 * ({@link org.orderly.config.cluster.ClusterSchedule}, job {@value #JOB}) and runs only if it got it, so with several
 * nodes the data is still looked at once per interval, not once per node. An operator's "run now" runs on the node
 * asked, whatever the turn: every task is safe to run on two nodes at once (a row deleted by one is simply not
 * counted by the other; erasure is idempotent).
 * <p>
 * Metrics, tagged {@code kind}: {@code orderly.retention.removed} (rows removed by this node),
 * {@code orderly.retention.last.run} (when this node's last run of the kind ended, epoch seconds),
 * {@code orderly.retention.duration} (how long each run of the kind took) and {@code orderly.retention.failing}
 * (1 while the kind's last run failed).
 */
public final class Retention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    /** The job's name in the cluster's schedule. */
    public static final String JOB = "retention";

    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final int batchSize;
    private final Duration interval;
    private final Clock clock;
    private final ExecutorService worker;
    private final java.util.function.BooleanSupplier clusterTurn;

    private long lastRunNumber;
    private boolean queued;
    private volatile long runningNumber;
    private volatile long finishedNumber;
    private volatile Instant lastRunStartedAt;
    private volatile Instant lastRunEndedAt;
    private volatile Instant nextRunAt;

    /** Retention on a node alone: every scheduled run is its turn. */
    public Retention(Collection<RetentionTask> tasks, RetentionProperties properties, MeterRegistry meters,
                     Clock clock) {
        this(tasks, properties, meters, clock, () -> true);
    }

    /**
     * @param clusterTurn asked at each scheduled run: whether this node runs it (it took the cluster's turn)
     */
    public Retention(Collection<RetentionTask> tasks, RetentionProperties properties, MeterRegistry meters,
                     Clock clock, java.util.function.BooleanSupplier clusterTurn) {
        this.clusterTurn = clusterTurn;
        this.batchSize = properties.batchSize();
        this.interval = properties.interval();
        this.clock = clock;
        tasks.stream().sorted(java.util.Comparator.comparing(RetentionTask::kind)).forEach(task -> {
            if (kinds.putIfAbsent(task.kind(), new Kind(task, meters)) != null) {
                throw new IllegalStateException("Two retention tasks remove kind '" + task.kind() + "'");
            }
        });
        this.nextRunAt = clock.instant().plus(properties.initialDelay());
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What the scheduler calls at each interval: starts a run and notes when the next one is due. */
    void scheduledRun() {
        nextRunAt = clock.instant().plus(interval);
        boolean ours;
        try {
            ours = clusterTurn.getAsBoolean();
        } catch (RuntimeException e) {
            // The database unreachable: no run could remove anything; the next interval asks again.
            log.warn("Retention could not take the cluster's turn; asking again at the next interval: {}", e.toString());
            return;
        }
        if (ours) {
            start();
        } else {
            log.debug("Retention's turn was taken by another node");
        }
    }

    /**
     * Starts a run of every kind on the worker, or queues one behind the run in progress.
     *
     * @return the number of the run that will honour this ask; done once {@link Status#lastFinishedRun()} reaches it
     */
    public synchronized long start() {
        if (queued) {
            return lastRunNumber;
        }
        queued = true;
        long number = ++lastRunNumber;
        worker.execute(() -> {
            synchronized (this) {
                queued = false;
            }
            runAll(number);
        });
        return number;
    }

    private void runAll(long number) {
        runningNumber = number;
        lastRunStartedAt = clock.instant();
        try {
            kinds.values().forEach(Kind::run);
        } finally {
            lastRunEndedAt = clock.instant();
            finishedNumber = number;
            runningNumber = 0;
        }
    }

    /** Every kind, as it stands, and the runs. */
    public Status status() {
        List<KindStatus> each = new ArrayList<>();
        kinds.values().forEach(kind -> each.add(kind.status()));
        return new Status(runningNumber != 0, runningNumber == 0 ? null : runningNumber, finishedNumber,
                lastRunStartedAt, lastRunEndedAt, nextRunAt, each);
    }

    /** The kinds whose last run failed, with their error. */
    Map<String, String> failing() {
        Map<String, String> failing = new LinkedHashMap<>();
        kinds.forEach((name, kind) -> {
            if (kind.lastError != null) {
                failing.put(name, kind.lastError);
            }
        });
        return failing;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ISO-8601, in days when whole days ({@code P90D} rather than {@code PT2160H}). */
    static String iso(Duration duration) {
        return !duration.isZero() && duration.toSeconds() % 86_400 == 0 && duration.getNano() == 0
                ? "P" + duration.toDays() + "D" : duration.toString();
    }

    /** The state of retention on this node. */
    @Schema(description = "Retention on this node: its runs and each kind of data that expires")
    public record Status(
            @Schema(description = "Whether a run is in progress") boolean running,
            @Schema(description = "The number of the run in progress, if any") Long runningRun,
            @Schema(description = "The number of the last run that ended on this node (0: none yet)")
            long lastFinishedRun,
            @Schema(description = "When the last run started") Instant lastRunStartedAt,
            @Schema(description = "When the last run ended") Instant lastRunEndedAt,
            @Schema(description = "When the next scheduled run starts") Instant nextRunAt,
            @Schema(description = "Each kind of data that expires") List<KindStatus> kinds) {
    }

    /** One kind of data that expires, as it stands on this node. */
    @Schema(description = "One kind of data that expires")
    public record KindStatus(
            @Schema(description = "The kind", example = "sent-notifications") String kind,
            @Schema(description = "How long it is kept (ISO-8601); absent: kept for ever, never removed",
                    example = "P90D") String period,
            @Schema(description = "When its last run ended") Instant lastRunAt,
            @Schema(description = "Rows its last run removed") long removedLastRun,
            @Schema(description = "Rows removed by this node since it started") long removedTotal,
            @Schema(description = "How long its last run took (ISO-8601)", example = "PT0.25S") String lastRunDuration,
            @Schema(description = "Why its last run failed; absent when it succeeded") String lastError) {
    }

    /** One task, its counters and meters. */
    private final class Kind {
        private final RetentionTask task;
        private final Counter removed;
        private final Timer duration;
        private volatile Instant lastRunAt;
        private volatile long removedLastRun;
        private volatile long removedTotal;
        private volatile Duration lastRunDuration;
        private volatile String lastError;

        Kind(RetentionTask task, MeterRegistry meters) {
            this.task = task;
            this.removed = Counter.builder("orderly.retention.removed").tag("kind", task.kind())
                    .description("Rows of the kind removed by retention on this node").register(meters);
            this.duration = Timer.builder("orderly.retention.duration").tag("kind", task.kind())
                    .description("How long a retention run of the kind took").register(meters);
            Gauge.builder("orderly.retention.last.run", this,
                            kind -> kind.lastRunAt == null ? Double.NaN : kind.lastRunAt.toEpochMilli() / 1000.0)
                    .tag("kind", task.kind()).baseUnit("seconds")
                    .description("When the last retention run of the kind ended on this node (epoch seconds)")
                    .register(meters);
            Gauge.builder("orderly.retention.failing", this, kind -> kind.lastError == null ? 0 : 1)
                    .tag("kind", task.kind()).description("1 while the last retention run of the kind failed")
                    .register(meters);
        }

        void run() {
            if (task.period().isEmpty()) {
                return;
            }
            Instant started = clock.instant();
            Instant cutoff = started.minus(task.period().get());
            long count = 0;
            String error = null;
            try {
                count = task.removeExpired(cutoff, batchSize);
            } catch (RetentionFailure e) {
                count = e.removed();
                error = e.getMessage();
                log.warn("Retention of {} failed after removing {}; it is tried again at the next run", task.kind(),
                        count, e);
            } catch (RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                log.warn("Retention of {} failed; it is tried again at the next run", task.kind(), e);
            }
            Instant ended = clock.instant();
            Duration took = Duration.between(started, ended);
            removed.increment(count);
            duration.record(took);
            removedLastRun = count;
            removedTotal += count;
            lastRunDuration = took;
            lastError = error;
            lastRunAt = ended;
            if (count > 0) {
                log.info("Retention removed {} expired {} (older than {}) in {} ms", count, task.kind(),
                        iso(task.period().get()), took.toMillis());
            }
        }

        KindStatus status() {
            return new KindStatus(task.kind(), task.period().map(Retention::iso).orElse(null), lastRunAt,
                    removedLastRun, removedTotal, lastRunDuration == null ? null : lastRunDuration.toString(), lastError);
        }
    }
}
