package org.orderly.config.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.orderly.config.eventstore.TokenPositions;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Measures, on demand, how far each domain-store processor is behind the head of the event store. It
 * reads the processor's tokens from its domain's own token table, so it sees every node's segments,
 * and the live position of the segments this node is working on.
 */
public class ProcessorLag {

    private final DomainStores stores;
    private final Supplier<EventStore> eventStore;
    private final Supplier<EventProcessingConfiguration> processing;
    private final JdbcTemplate eventStoreJdbc;
    private final Supplier<Serializer> tokenSerializer;
    private final Clock clock;
    /** The last measurement per processor, for {@link #recent}. */
    private final Map<String, Measured> recent = new ConcurrentHashMap<>();

    private record Measured(Lag lag, long atNanos) {
    }

    /**
     * Collaborators are suppliers so that measuring lag never pulls Axon's start-up forward.
     *
     * @param eventStoreJdbc the event store's database, or {@code null} when events live in Axon Server */
    public ProcessorLag(DomainStores stores, Supplier<EventStore> eventStore,
                        Supplier<EventProcessingConfiguration> processing, JdbcTemplate eventStoreJdbc,
                        Supplier<Serializer> tokenSerializer, Clock clock) {
        this.stores = stores;
        this.eventStore = eventStore;
        this.processing = processing;
        this.eventStoreJdbc = eventStoreJdbc;
        this.tokenSerializer = tokenSerializer;
        this.clock = clock;
    }

    /**
     * The processor's lag as measured at most {@code maxAge} ago: for callers that report lag with every
     * request (an order placement reports how fresh its copies were), where measuring each time would cost
     * several queries per request and tell nothing a fifth of a second old does not.
     */
    public Lag recent(String processor, Duration maxAge) {
        long now = System.nanoTime();
        Measured measured = recent.get(processor);
        if (measured == null || now - measured.atNanos() > maxAge.toNanos()) {
            measured = new Measured(of(processor), now);
            recent.put(processor, measured);
        }
        return measured.lag();
    }

    public Lag of(String processor) {
        long head = head();
        long position = segments(processor).stream().mapToLong(SegmentPosition::position).min().orElse(-1L);
        long events = Math.max(0, head - position);
        return new Lag(processor, head, position, events, events == 0 ? Duration.ZERO : waitingSince(position));
    }

    /** Global index of the newest event, or -1 for an empty store. */
    public long head() {
        return TokenPositions.of(eventStore.get().createHeadToken());
    }

    /**
     * Every segment of the processor, read from its domain's own token table so that every node's segments
     * are seen, with the live position of the segments this node works on.
     */
    public List<SegmentPosition> segments(String processor) {
        DomainStore store = stores.forProcessingGroup(processor)
                .orElseThrow(() -> new IllegalArgumentException("No domain store declares processor " + processor));
        Map<Integer, SegmentPosition> segments = new TreeMap<>();
        store.jdbc().query("SELECT segment, owner, token, token_type FROM token_entry WHERE processor_name = ?", rs -> {
            byte[] token = rs.getBytes("token");
            String type = rs.getString("token_type");
            TrackingToken tracking = token == null || type == null ? null
                    : tokenSerializer.get().deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
            segments.put(rs.getInt("segment"), new SegmentPosition(rs.getInt("segment"), rs.getString("owner"),
                    TokenPositions.of(tracking), ReplayToken.isReplay(tracking)));
        }, processor);
        // A segment this node works on is known better in memory: Axon stores the token of a processor
        // that skips events it has no handler for only every few seconds.
        processing.get().eventProcessor(processor, StreamingEventProcessor.class).ifPresent(running ->
                running.processingStatus().forEach((segment, status) -> {
                    OptionalLong current = status.getCurrentPosition();
                    SegmentPosition stored = segments.get(segment);
                    long position = Math.max(stored == null ? -1L : stored.position(),
                            current.isPresent() ? current.getAsLong() : -1L);
                    segments.put(segment, new SegmentPosition(segment,
                            stored == null ? null : stored.owner(), position, status.isReplaying()));
                }));
        return List.copyOf(segments.values());
    }

    private Duration waitingSince(long position) {
        if (eventStoreJdbc == null) {
            return null;
        }
        List<String> oldest = eventStoreJdbc.queryForList("""
                SELECT time_stamp FROM event_store.domain_event_entry
                 WHERE global_index > ? ORDER BY global_index LIMIT 1
                """, String.class, position);
        if (oldest.isEmpty()) {
            return Duration.ZERO;
        }
        Duration waited = Duration.between(Instant.parse(oldest.get(0)), clock.instant());
        return waited.isNegative() ? Duration.ZERO : waited;
    }
}
