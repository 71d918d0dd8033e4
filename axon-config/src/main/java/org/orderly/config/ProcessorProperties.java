package org.orderly.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.processors.*}: defaults for every projection processor, and how the event store feeds them. In the
 * root package because the event store (below the domain stores that run the processors) reads them too.
 *
 * @param initialSegments        segments a projection processor starts with and keeps while it keeps up. One: at the
 *                               head each segment commits its own batch and token per wake-up, which costs more than
 *                               it parallelises.
 * @param catchUpSegments        segments a projection processor is split into while it is at least
 *                               {@code catch-up-lag} events behind (a replay, a rebuild, a node back after downtime);
 *                               merged back once it keeps up. Not above the initial segments: never split.
 * @param catchUpLag             events behind the head from which a projection processor is split to catch up: a few
 *                               seconds of traffic, far above the tens to hundreds a processor that keeps up lags by
 *                               under full load.
 * @param batchSize              at most this many events are handled in one transaction (a live processor takes what
 *                               is there). A work package buffers at most 1,024 events, so a replay's batches take
 *                               nearly all it holds.
 * @param deadLetterMaxSequences sequences (aggregates) a dead-letter queue may hold before it refuses more.
 * @param healthyLag             a domain is DEGRADED (still serving, answered 200) while one of its processors lags
 *                               further behind than this.
 * @param deadLetterThreshold    a domain is DEGRADED (still serving, answered 200) while one of its processors holds
 *                               more dead letters than this.
 * @param fetchDelay             how often the event store looks for events other nodes appended; local commits wake
 *                               it at once.
 * @param wakeUpInterval         the least time between two wake-ups of a processor by new events it handles. The first
 *                               event after a quiet spell is handled at once; under steady traffic the events of one
 *                               interval make one batch (one transaction, one token update) instead of one batch each.
 *                               Each segment of each processor a registration feeds commits once per wake-up, so at
 *                               10 ms they committed three times for every registration; 30 ms gave 8-30 % more
 *                               registrations at 16 clients (two runs each, 2-core benchmark), for at most the
 *                               interval added to a read model's freshness under steady load.
 * @param readBatchSize          events read from the event store in one query; a replay of a million events makes a
 *                               thousand, not ten thousand.
 * @param claimTimeout           how long a claim on a segment (projection and saga processors alike) holds without its
 *                               node renewing it: after a node dies, the other nodes take its segments this long after
 *                               its last renewal. A live node renews with every batch and, idle, every third of this.
 *                               Keep it above {@code orderly.cluster.liveness}, and above the longest batch: a batch
 *                               that outlasts it may lose its claim and roll back (handled again, never twice).
 * @param tokenClaimInterval     how often a processor looks for segments to claim (unclaimed, released, or whose claim
 *                               expired) and releases those beyond its share: after a node dies, its segments are
 *                               taken within the claim timeout plus this. Each look reads the processor's token table
 *                               once.
 * @param segmentCheckInterval   how often this node looks whether a projection it runs entirely is far enough behind
 *                               to split, or close enough to the head to merge back.
 */
@ConfigurationProperties("orderly.processors")
public record ProcessorProperties(@DefaultValue("1") int initialSegments,
                                  @DefaultValue("2") int catchUpSegments,
                                  @DefaultValue("2000") long catchUpLag,
                                  @DefaultValue("1000") int batchSize,
                                  @DefaultValue("1024") int deadLetterMaxSequences,
                                  @DefaultValue("30s") Duration healthyLag,
                                  @DefaultValue("0") long deadLetterThreshold,
                                  @DefaultValue("250ms") Duration fetchDelay,
                                  @DefaultValue("25ms") Duration wakeUpInterval,
                                  @DefaultValue("1000") int readBatchSize,
                                  @DefaultValue("10s") Duration claimTimeout,
                                  @DefaultValue("1s") Duration tokenClaimInterval,
                                  @DefaultValue("1s") Duration segmentCheckInterval) {

    /** Every default, as a node without any {@code orderly.processors.*} setting runs. */
    public static ProcessorProperties defaults() {
        return new ProcessorProperties(1, 2, 2_000, 1000, 1024, Duration.ofSeconds(30), 0, Duration.ofMillis(250),
                Duration.ofMillis(25), 1000, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    /** These settings with other segment counts and lag: how a test sets up the segment scaler. */
    public ProcessorProperties withSegments(int initialSegments, int catchUpSegments, long catchUpLag) {
        return new ProcessorProperties(initialSegments, catchUpSegments, catchUpLag, batchSize, deadLetterMaxSequences,
                healthyLag, deadLetterThreshold, fetchDelay, wakeUpInterval, readBatchSize, claimTimeout,
                tokenClaimInterval, segmentCheckInterval);
    }
}
