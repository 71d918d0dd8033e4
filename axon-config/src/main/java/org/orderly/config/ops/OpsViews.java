package org.orderly.config.ops;

import java.time.Instant;
import java.util.List;

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
     */
    public record Replay(String replayId, String processor, String domain, String requestedBy, String node,
                         Instant startedAt, long targetPosition, long position, String outcome, double percent,
                         Long etaSeconds, Instant endedAt, String detail) {
    }

    /**
     * A zero-downtime rebuild of a domain's read schema, as recorded, with its progress while it runs.
     *
     * @param processors the domain's processors, all rebuilt together into the one schema they share
     * @param phase      PREPARING (emptying and migrating the shadow schema), BUILDING (shadow processors
     *                   replaying), SWAPPING (live processors stopped, shadow catching up, tables moved), DONE
     * @param percent    progress towards the head of the event store as it was when the rebuild started
     * @param etaSeconds estimated seconds to completion; {@code null} until there is a rate to go by
     */
    public record Rebuild(String rebuildId, String domain, List<String> processors, String requestedBy, String node,
                          Instant startedAt, long targetPosition, long position, String phase, String outcome,
                          double percent, Long etaSeconds, Instant endedAt, String detail) {
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

    public record Page<T>(List<T> items,
                          @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
                          String nextCursor) {
    }
}
