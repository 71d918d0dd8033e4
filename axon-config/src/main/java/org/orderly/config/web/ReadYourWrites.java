package org.orderly.config.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionCommits;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Read your own writes, whichever node answers. A GET that sends {@code Orderly-Position: N} (from a command's
 * answer) is held until every processing group its endpoint reads from ({@link ReadsFrom}) has passed N, then
 * answered as the read model stands, with {@code Orderly-Position-Reached: true}. Past
 * {@code orderly.web.consistency.max-wait}, or when {@code orderly.web.max-waiting-reads} reads are waiting already,
 * it is answered as the read model stands then, with {@code Orderly-Position-Reached: false}: stale rather than an
 * error, and never every request thread held.
 * <p>
 * A group has passed N when each of its segments' tokens covers N itself: its index is at N or beyond and N is
 * not among the gaps the token still waits for (an event committed after a later one was read is behind the
 * index until the processor reads it). The tokens are read from the group's domain token table, so the segments
 * another node works on count as they commit; a segment this node works on is also known in memory, where it
 * can be ahead (a processor stores the token of events it skips only now and then). A waiting read looks again
 * whenever one of its groups commits a batch on this node, and every
 * {@linkplain ProjectionCommits few tens of milliseconds} for the other nodes' commits.
 * <p>
 * Only the segment that handles event N has to pass it. A processor split into segments (two query nodes sharing
 * it) hands each aggregate's events to one segment; the others skip N and store their tokens only every few
 * seconds, so waiting for them too would hold the read for nothing. Where the group sequences by aggregate (Axon's
 * default), the read looks up N's aggregate once and waits for the segment that matches it; otherwise for all.
 */
public final class ReadYourWrites implements HandlerInterceptor {

    private final DomainStores stores;
    private final Supplier<EventProcessingConfiguration> processing;
    private final Supplier<Serializer> tokenSerializer;
    private final Duration maxWait;
    /** The read-model commits, for at most {@code orderly.web.max-waiting-reads} waiting requests at once. */
    private final ProjectionCommits commits;
    /** The event store's database, for N's aggregate; {@code null} where events live in Axon Server. */
    private final JdbcTemplate eventStore;

    /** Collaborators are suppliers so that the web layer never pulls Axon's start-up forward. */
    public ReadYourWrites(DomainStores stores, Supplier<EventProcessingConfiguration> processing,
                          Supplier<Serializer> tokenSerializer, Duration maxWait, int maxWaitingReads) {
        this(stores, processing, tokenSerializer, maxWait, maxWaitingReads, null);
    }

    public ReadYourWrites(DomainStores stores, Supplier<EventProcessingConfiguration> processing,
                          Supplier<Serializer> tokenSerializer, Duration maxWait, int maxWaitingReads,
                          JdbcTemplate eventStore) {
        this.eventStore = eventStore;
        this.commits = stores.commits().withMostWaiting(maxWaitingReads);
        this.stores = stores;
        this.processing = processing;
        this.tokenSerializer = tokenSerializer;
        this.maxWait = maxWait;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String header = request.getHeader(ConsistencyHeaders.POSITION);
        if (header == null || !"GET".equals(request.getMethod()) || !(handler instanceof HandlerMethod method)) {
            return true;
        }
        ReadsFrom reads = readsFrom(method);
        if (reads == null) {
            return true;
        }
        long position = ConsistencyHeaders.position(header);
        List<String> groups = List.of(reads.value());
        Optional<String> aggregate = aggregateOf(position);
        boolean reached = commits.awaitUntil(groups, maxWait, () -> passed(groups, position, aggregate));
        response.setHeader(ConsistencyHeaders.REACHED, Boolean.toString(reached));
        return true;
    }

    /** What the endpoint declares it reads: the method's declaration, else its controller's; {@code null}: none. */
    public static ReadsFrom readsFrom(HandlerMethod method) {
        ReadsFrom own = method.getMethodAnnotation(ReadsFrom.class);
        return own != null ? own : method.getBeanType().getAnnotation(ReadsFrom.class);
    }

    /** Whether every segment of every group has passed {@code position}. */
    boolean passed(List<String> groups, long position) {
        return passed(groups, position, Optional.empty());
    }

    /**
     * Whether every group has passed {@code position}: the segment that handles the event there when its aggregate
     * is known and the group sequences by aggregate, else every segment.
     */
    boolean passed(List<String> groups, long position, Optional<String> aggregate) {
        for (String group : groups) {
            if (!passed(group, position, aggregate)) {
                return false;
            }
        }
        return true;
    }

    /** The aggregate of the event at {@code position}, when the event store is at hand and holds one there. */
    private Optional<String> aggregateOf(long position) {
        if (eventStore == null) {
            return Optional.empty();
        }
        List<String> found = eventStore.queryForList(
                "SELECT aggregate_identifier FROM event_store.domain_event_entry WHERE global_index = ?",
                String.class, position);
        return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0));
    }

    private boolean sequencedByAggregate(String group) {
        try {
            return processing.get().sequencingPolicy(group) instanceof SequentialPerAggregatePolicy;
        } catch (RuntimeException notHere) {
            return false;
        }
    }

    private boolean passed(String group, long position, Optional<String> aggregate) {
        DomainStore store = stores.forProcessingGroup(group)
                .orElseThrow(() -> new IllegalStateException("No domain store declares processing group " + group));
        Map<Integer, TrackingToken> stored = new HashMap<>();
        store.jdbc().query("SELECT segment, token, token_type FROM token_entry WHERE processor_name = ?", rs -> {
            byte[] token = rs.getBytes("token");
            String type = rs.getString("token_type");
            stored.put(rs.getInt("segment"), token == null || type == null ? null : tokenSerializer.get()
                    .deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null)));
        }, group);
        if (stored.isEmpty()) {
            return false;
        }
        Map<Integer, TrackingToken> live = new HashMap<>();
        processing.get().eventProcessor(group, StreamingEventProcessor.class).ifPresent(running ->
                running.processingStatus().forEach((segment, status) -> live.put(segment, status.getTrackingToken())));
        int[] ids = stored.keySet().stream().mapToInt(Integer::intValue).toArray();
        boolean oneSegment = aggregate.isPresent() && ids.length > 1 && sequencedByAggregate(group);
        for (Map.Entry<Integer, TrackingToken> segment : stored.entrySet()) {
            // Axon hands an event to the segment matching its sequence identifier's hash: the aggregate's id here.
            if (oneSegment && !Segment.computeSegment(segment.getKey(), ids)
                    .matches(Objects.hashCode(aggregate.get()))) {
                continue;
            }
            if (!covers(segment.getValue(), position) && !covers(live.get(segment.getKey()), position)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a processor at {@code token} has handled (or skipped) the event at {@code position}. */
    static boolean covers(TrackingToken token, long position) {
        if (token == null) {
            return false;
        }
        if (token instanceof ReplayToken replay) {
            return covers(replay.getCurrentToken(), position);
        }
        if (token instanceof MergedTrackingToken merged) {
            return covers(merged.lowerSegmentToken(), position) && covers(merged.upperSegmentToken(), position);
        }
        if (token instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= position && !gapAware.getGaps().contains(position);
        }
        return TokenPositions.of(token) >= position;
    }
}
