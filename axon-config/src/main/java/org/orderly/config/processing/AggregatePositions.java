package org.orderly.config.processing;

import java.sql.Array;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The global index of the latest event of given aggregates, straight from the event store's
 * (aggregate_identifier, sequence_number) index: what a cached copy of those aggregates must have
 * reached to be up to date with them. Only available when events live in PostgreSQL.
 */
public class AggregatePositions {

    private final JdbcTemplate eventStore;

    public AggregatePositions(JdbcTemplate eventStore) {
        this.eventStore = eventStore;
    }

    /**
     * @param aggregateIds the aggregates
     * @param payloadTypes only events of these types count (those a copy applies)
     * @return per aggregate id, the global index of its latest such event; absent when it has none
     */
    public Map<String, Long> latest(Collection<String> aggregateIds, Collection<Class<?>> payloadTypes) {
        Map<String, Long> latest = new HashMap<>();
        if (aggregateIds.isEmpty()) {
            return latest;
        }
        eventStore.execute((java.sql.Connection connection) -> {
            Array ids = connection.createArrayOf("varchar", aggregateIds.toArray());
            Array types = connection.createArrayOf("varchar", payloadTypes.stream().map(Class::getName).toArray());
            // Per aggregate, its stream read backwards from its newest event to the first of these types: a few
            // index entries whatever the stream's length. (A max() over the aggregates' events as a group was
            // planned as a bitmap scan and a sort, and took milliseconds per order placement under load.) Within
            // a stream the global index grows with the sequence number, so the newest is the highest.
            try (var statement = connection.prepareStatement("""
                    SELECT a.aggregate_identifier, e.global_index
                      FROM unnest(?::varchar[]) AS a(aggregate_identifier)
                     CROSS JOIN LATERAL (
                           SELECT global_index FROM event_store.domain_event_entry d
                            WHERE d.aggregate_identifier = a.aggregate_identifier AND d.payload_type = ANY (?)
                            ORDER BY d.sequence_number DESC LIMIT 1) e
                    """)) {
                statement.setArray(1, ids);
                statement.setArray(2, types);
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        latest.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return null;
        });
        return latest;
    }

    public static Optional<Long> of(Map<String, Long> latest, Object aggregateId) {
        return Optional.ofNullable(latest.get(aggregateId.toString()));
    }
}
