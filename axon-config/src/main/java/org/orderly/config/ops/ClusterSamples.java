package org.orderly.config.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessorLag;
import org.orderly.config.processing.SegmentPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Samples the cluster for the dashboard's plots, every {@code orderly.ops.sample-interval}: the event store's head
 * and each processor's slowest position, both read from the database, so every node samples the same
 * cluster-wide values whichever segments it holds. Samples are kept in memory for
 * {@code orderly.ops.sample-window} (a ring of a bounded number), which is all the plots show: a node that starts
 * begins with empty plots, and nothing is written anywhere. Rates are differences between consecutive samples.
 */
public class ClusterSamples implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSamples.class);

    private final DomainStores stores;
    private final ProcessorLag lag;
    private final OpsProperties properties;
    private final Clock clock;
    private final Deque<Sample> ring = new ArrayDeque<>();
    private volatile ScheduledExecutorService sampler;
    private volatile Instant lastSample;

    /** One look at the cluster: the head, and each processor's slowest position (-1 before its first event). */
    record Sample(Instant at, long head, Map<String, Long> positions) {
    }

    public ClusterSamples(DomainStores stores, ProcessorLag lag, OpsProperties properties, Clock clock) {
        this.stores = stores;
        this.lag = lag;
        this.properties = properties;
        this.clock = clock;
    }

    /** Takes a sample now and keeps it, dropping the oldest beyond the window. */
    void sample() {
        try {
            long head = lag.head();
            Map<String, Long> positions = new TreeMap<>();
            for (DomainStore store : stores.all()) {
                Stream.concat(store.processingGroups().stream(), store.sagaProcessingGroups().stream())
                        .forEach(group -> positions.put(group, lag.segments(group).stream()
                                .mapToLong(SegmentPosition::position).min().orElse(-1L)));
            }
            // Milliseconds are all a plot shows, and all a browser's date parser is sure to read.
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            synchronized (ring) {
                ring.addLast(new Sample(now, head, Collections.unmodifiableMap(positions)));
                while (ring.size() > properties.samplesKept()) {
                    ring.removeFirst();
                }
            }
            lastSample = now;
        } catch (RuntimeException e) {
            log.warn("Could not sample the cluster for the dashboard", e);
        }
    }

    /** Seconds since the last sample was taken; {@code NaN} before the first. */
    public double lastSampleAgeSeconds() {
        Instant last = lastSample;
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }

    /** The samples in the window, oldest first, with lags and the rates since the sample before each. */
    public OpsViews.Trends trends() {
        List<Sample> samples;
        synchronized (ring) {
            samples = new ArrayList<>(ring);
        }
        Instant horizon = clock.instant().minus(properties.sampleWindow());
        List<OpsViews.TrendPoint> points = new ArrayList<>();
        Sample previous = null;
        for (Sample sample : samples) {
            if (sample.at().isBefore(horizon)) {
                previous = sample;
                continue;
            }
            double seconds = previous == null ? 0 : Duration.between(previous.at(), sample.at()).toMillis() / 1000.0;
            Map<String, OpsViews.ProcessorPoint> processors = new LinkedHashMap<>();
            for (Map.Entry<String, Long> position : sample.positions().entrySet()) {
                Long before = previous == null ? null : previous.positions().get(position.getKey());
                processors.put(position.getKey(), new OpsViews.ProcessorPoint(
                        Math.max(0, sample.head() - position.getValue()),
                        rate(before, position.getValue(), seconds)));
            }
            points.add(new OpsViews.TrendPoint(sample.at(), sample.head(),
                    rate(previous == null ? null : previous.head(), sample.head(), seconds), processors));
            previous = sample;
        }
        return new OpsViews.Trends(properties.sampleInterval().toMillis() / 1000.0,
                properties.sampleWindow().toSeconds(), points);
    }

    /**
     * Events per second between two positions; {@code null} for the first sample. A position that went back (a
     * replay reset it) counts as no progress rather than as negative throughput.
     */
    private static Double rate(Long before, long now, double seconds) {
        if (before == null || seconds <= 0) {
            return null;
        }
        return Math.round(Math.max(0, now - before) / seconds * 10) / 10.0;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "orderly-cluster-samples");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sample, 0, properties.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
        sampler = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = sampler;
        sampler = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return sampler != null;
    }

    /** Late among the lifecycle phases, once the processing configuration exists. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }
}
