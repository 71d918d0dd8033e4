package org.orderly.config.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** What the operator endpoints answer. */
public final class OpsViews {

    private OpsViews() {
    }

    public record Processor(String name, ProcessorKind kind, String domain, String schema, String status,
                            List<Segment> segments, long head, Long lagEvents, Double lagSeconds, boolean replaying,
                            Replay replay, long deadLetters, List<String> errors) {
    }

    public record Segment(int segment, String owner, long position, boolean replaying, String error) {
    }

    /**
     * A replay as recorded, with its progress while it runs.
     *
     * @param percent    progress towards the head of the event store as it was when the replay started
     * @param etaSeconds estimated seconds to completion; {@code null} until there is a rate to go by
     * @param waitingFor the other nodes still holding segments of the processor, which the replay waits for to
     *                   release them before it resets anything; empty once it has started
     * @param releasedBy the other nodes that held segments when the replay was asked for and released them for it
     *                   (or, for a node that died, whose claims lapsed)
     */
    public record Replay(String replayId, String processor, String domain, String requestedBy, String node,
                         Instant startedAt, long targetPosition, long position, String outcome, double percent,
                         Long etaSeconds, Instant endedAt, String detail, List<String> waitingFor,
                         List<String> releasedBy) {
    }

    /**
     * A zero-downtime rebuild of a domain's read schema, as recorded, with its progress while it runs.
     *
     * @param processors the domain's processors, all rebuilt together into the one schema they share
     * @param phase      PREPARING (emptying and migrating the shadow schema), BUILDING (shadow processors
     *                   replaying), SWAPPING (live processors stopped, shadow catching up, tables moved), DONE
     * @param percent    progress towards the head of the event store as it was when the rebuild started
     * @param etaSeconds estimated seconds to completion; {@code null} until there is a rate to go by
     * @param waitingFor the other nodes still holding segments of the domain's processors, which the rebuild waits
     *                   for to release them (before it starts, and again before the swap)
     * @param releasedBy the other nodes that released segments of the domain's processors for the rebuild: they
     *                   keep those processors stopped until it has ended, so that none of them processes events
     *                   while the schema is being replaced
     */
    public record Rebuild(String rebuildId, String domain, List<String> processors, String requestedBy, String node,
                          Instant startedAt, long targetPosition, long position, String phase, String outcome,
                          double percent, Long etaSeconds, Instant endedAt, String detail, List<String> waitingFor,
                          List<String> releasedBy) {
    }

    public record DeadLetter(String id, String processor, String domain, String sequenceIdentifier,
                             long sequenceIndex, String eventIdentifier, String payloadType,
                             String aggregateIdentifier, Long aggregateSequenceNumber, Instant enqueuedAt,
                             Instant lastTouched, String causeType, String causeMessage,
                             @Schema(types = {"string", "null"}, description = "The customer whose personal data the "
                                     + "event carries, if any; reading it is recorded in the data-access audit log")
                             String subjectId) {
    }

    public record Retry(String processor, String sequenceIdentifier, boolean drained, long remainingInSequence) {
    }

    public record RetryAll(String processor, int sequences, int drained, int stillFailing) {
    }

    /**
     * The cluster as the database shows it, for the dashboard.
     *
     * @param node  the node that answered
     * @param nodes every live node: each node with a current claim on a segment of some processor (from the
     *              token tables), and each node the node registry knows alive, idle ones included
     * @param holds the processors one node holds for a replay or rebuild, which the other nodes keep stopped
     * @param trends the samples this node took over the last minutes, for the plots
     */
    public record Cluster(String node, List<ClusterNode> nodes, List<ProcessorHolds.Hold> holds, Trends trends) {
    }

    /**
     * @param self       whether this is the node that answered
     * @param lapsed     whether the node's claims are all older than Axon's claim timeout: it likely died, and
     *                   other nodes will take its segments
     * @param processors the segments it claims, per processor; empty for an idle node
     */
    public record ClusterNode(String node, boolean self, boolean lapsed, List<ProcessorSegments> processors) {
    }

    public record ProcessorSegments(String processor, List<Integer> segments) {
    }

    /**
     * @param intervalSeconds how often samples are taken
     * @param windowSeconds   how far back they go
     * @param points          oldest first
     */
    public record Trends(double intervalSeconds, long windowSeconds, List<TrendPoint> points) {
    }

    /**
     * @param head       the event store's newest global index when sampled
     * @param appendRate events appended per second since the sample before; {@code null} for the first
     * @param processors per processor: its lag and throughput at that sample
     */
    public record TrendPoint(Instant at, long head,
                             @Schema(types = {"number", "null"}) Double appendRate,
                             Map<String, ProcessorPoint> processors) {
    }

    /**
     * @param lagEvents  events between the head and the processor's slowest segment
     * @param throughput events per second its slowest segment advanced since the sample before; {@code null} for
     *                   the first
     */
    public record ProcessorPoint(long lagEvents, @Schema(types = {"number", "null"}) Double throughput) {
    }

    /** Splits a comma-separated list of node ids as stored; empty for none. */
    static List<String> nodes(String stored) {
        return stored == null || stored.isBlank() ? List.of() : List.of(stored.split(","));
    }

    public record Page<T>(List<T> items,
                          @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
                          String nextCursor) {
    }
}
