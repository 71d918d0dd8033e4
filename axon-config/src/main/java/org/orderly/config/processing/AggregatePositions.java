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
            try (var statement = connection.prepareStatement("""
                    SELECT aggregate_identifier, max(global_index) FROM event_store.domain_event_entry
                     WHERE aggregate_identifier = ANY (?) AND payload_type = ANY (?)
                     GROUP BY aggregate_identifier
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
