package org.orderly.config.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Axon's JDBC storage engine, reading each event's time stamp once.
 * <p>
 * The engine keeps an event's time as the text of its column and parses it with a general ISO formatter every time
 * it is asked, once to decide about gaps and again when the event becomes a message: in a profiled replay the two
 * parses took about a tenth of the processor's CPU. Here the time is parsed once, with a fast path for the shape Axon
 * writes ({@code 2026-11-22T10:15:30.123Z}) and Axon's own parser for any other, and kept with the entry. The gap
 * handling of a tracked read is Axon's: the same gap timeout, maximum gap offset and lowest global sequence. An index
 * that commits after those bounds let its readers pass it is found and delivered by
 * {@link org.orderly.config.eventstore.gaps}.
 * <p>
 * Where a thread has opened an {@link AppendedPositions} capture (a command request of the HTTP API), an append
 * also learns the global index of its last event: the insert returns the indexes it drew
 * ({@link IndexReturningAppend}), so learning it costs no round trip of its own.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). Axon 4.13's {@code
 * JdbcEventStorageEngine} parses the time stamp on every read of it; this can go when Axon parses it once, or a
 * replay's profile no longer shows the parse.
 */
final class ParsedTimestampJdbcEventStorageEngine extends JdbcEventStorageEngine {

    static final int GAP_TIMEOUT_MILLIS = 60_000;
    static final int MAX_GAP_OFFSET = 10_000;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;

    private final int gapTimeoutMillis;
    private final int maxGapOffset;
    private final List<FetchedEventsListener> listeners;
    private final List<AppendingEventsListener> appendingListeners;

    ParsedTimestampJdbcEventStorageEngine(Builder builder) {
        this(builder, GAP_TIMEOUT_MILLIS, MAX_GAP_OFFSET);
    }

    /**
     * @param gapTimeoutMillis how long after its neighbours an index may still commit and be read in order
     * @param maxGapOffset     how far behind the newest read index an uncommitted index is still waited for
     */
    ParsedTimestampJdbcEventStorageEngine(Builder builder, int gapTimeoutMillis, int maxGapOffset) {
        this(builder, gapTimeoutMillis, maxGapOffset, List.of(), List.of());
    }

    /**
     * @param listeners          told of each batch a tracking read fetches, before its events are deserialized
     * @param appendingListeners told of the events of each append, before they are serialized
     */
    ParsedTimestampJdbcEventStorageEngine(Builder builder, int gapTimeoutMillis, int maxGapOffset,
                                          List<FetchedEventsListener> listeners,
                                          List<AppendingEventsListener> appendingListeners) {
        super(builder.gapTimeout(gapTimeoutMillis).maxGapOffset(maxGapOffset)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE));
        this.gapTimeoutMillis = gapTimeoutMillis;
        this.maxGapOffset = maxGapOffset;
        this.listeners = List.copyOf(listeners);
        this.appendingListeners = List.copyOf(appendingListeners);
    }

    /**
     * Axon's insert, and where a capture is open, the same insert returning the global index of each row it adds
     * ({@link IndexReturningAppend}): the index comes back in the insert's own round trip, with no question after it.
     */
    @Override
    protected PreparedStatement appendEvents(Connection connection, List<? extends EventMessage<?>> events,
                                             Serializer serializer) throws SQLException {
        if (!events.isEmpty()) {
            appendingListeners.forEach(listener -> listener.appending(events));
        }
        AppendedPositions.Capture capture = AppendedPositions.current();
        if (capture == null || events.isEmpty()) {
            return super.appendEvents(connection, events, serializer);
        }
        return IndexReturningAppend.reportingTo(capture, super.appendEvents(
                IndexReturningAppend.returning(connection, schema().globalIndexColumn()), events, serializer));
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        List<? extends TrackedEventData<?>> batch = super.fetchTrackedEvents(lastToken, batchSize);
        if (!batch.isEmpty()) {
            listeners.forEach(listener -> listener.fetched(batch));
        }
        return batch;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        EventSchema schema = schema();
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        String timestamp = readTimeStamp(resultSet, schema.timestampColumn()).toString();
        Instant instant = parse(timestamp);
        ParsedEntry<?> entry = new ParsedEntry<>(new GenericDomainEventEntry<>(
                resultSet.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()),
                eventIdentifier,
                timestamp,
                resultSet.getString(schema.payloadTypeColumn()),
                resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()),
                readPayload(resultSet, schema.metaDataColumn())), instant);

        // A recent event may still be followed by a commit of an earlier index: only then can gaps fill in.
        boolean allowGaps = instant.isAfter(
                GenericEventMessage.clock.instant().minus(gapTimeoutMillis, ChronoUnit.MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                            .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? maxGapOffset : 0);
        }
        return new TrackedDomainEventData<>(token, entry);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} directly; anything else through Axon's parser. */
    static Instant parse(String text) {
        if (text.length() == 24 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.'
                && text.charAt(23) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int millis = digits(text, 20, 23);
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && millis >= 0
                    && second < 60) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                            .toInstant(ZoneOffset.UTC);
                } catch (java.time.DateTimeException e) {
                    // not a valid date: Axon's parser reports it
                }
            }
        }
        return DateTimeUtils.parseInstant(text);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** An entry that answers its time without parsing it again. */
    private record ParsedEntry<T>(DomainEventData<T> entry, Instant timestamp) implements DomainEventData<T> {

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public String getType() {
            return entry.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return entry.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return entry.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return entry.getEventIdentifier();
        }

        @Override
        public SerializedObject<T> getMetaData() {
            return entry.getMetaData();
        }

        @Override
        public SerializedObject<T> getPayload() {
            return entry.getPayload();
        }
    }
}
