package org.orderly.config.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.eventstore.EventStoreAutoConfiguration;
import org.orderly.config.privacy.PersonalDataRevisions.SealedEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one-time migration that seals the personal data of stored payloads written before sealing: every event of
 * an older revision ({@link PersonalDataRevisions}) in the event store, its snapshots and every domain's dead
 * letters is read through the upcaster chain into its current class and written again by the event serializer,
 * which seals each personal component under its subject's key (creating the key as a registration does; an
 * erased subject's values become the placeholder), under the current revision.
 * <p>
 * The event store is append-only for the application's role, so the events are rewritten as the owner of the
 * main schemas (as its migrations are); each domain's dead letters as that domain's own role. Payloads are
 * rewritten in batches, one transaction each, and only those still of an older revision are read: a run that
 * stopped halfway is completed by running again, and a run over a sealed store changes nothing.
 * <p>
 * {@link ReturnRequestedEvent}s of revision 1 name no customer: the customer who placed the order
 * ({@link OrderPlacedEvent} in the store) is filled in. One whose order is not in the store cannot be sealed and
 * is left as it was, counted apart. Copies of a customer's cancellation reason that name no subject (the
 * fulfilment workflow's) are reduced to what the saga writes now.
 */
public final class StoredEventSealing {

    /** What a run did: payloads sealed, and payloads left as they were because no subject could be found. */
    public record Outcome(long sealed, long withoutSubject) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderlyDatabase database;
    private final DomainStores stores;
    private final Serializer serializer;
    private final EventUpcaster upcasters;
    private final int batchSize;

    public StoredEventSealing(OrderlyDatabase database, DomainStores stores, Serializer eventSerializer,
                              EventUpcaster upcasters, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("A batch holds at least one payload");
        }
        this.database = database;
        this.stores = stores;
        this.serializer = eventSerializer;
        this.upcasters = upcasters;
        this.batchSize = batchSize;
    }

    /** Seals every stored payload of an older revision, telling {@code progress} how far it got (counts only). */
    public Outcome run(Consumer<String> progress) {
        if (database.ownerPassword() == null) {
            throw new IllegalStateException("Sealing stored events rewrites the event store as its owner "
                    + database.ownerUsername() + ": set orderly.database.owner-password");
        }
        try (HikariDataSource owner = new HikariDataSource()) {
            owner.setPoolName("orderly-sealing");
            owner.setJdbcUrl(database.url());
            owner.setUsername(database.ownerUsername());
            owner.setPassword(database.ownerPassword());
            owner.setMaximumPoolSize(2);
            owner.setMinimumIdle(0);
            JdbcTemplate eventStore = new JdbcTemplate(owner);
            TransactionTemplate ownerTransactions = new TransactionTemplate(new DataSourceTransactionManager(owner));
            List<Table> tables = new ArrayList<>();
            tables.add(new Table(EventStoreAutoConfiguration.SCHEMA + ".domain_event_entry", eventStore,
                    ownerTransactions, Columns.EVENTS, "global_index"));
            tables.add(new Table(EventStoreAutoConfiguration.SCHEMA + ".snapshot_event_entry", eventStore,
                    ownerTransactions, Columns.EVENTS, "event_identifier"));
            for (DomainStore store : stores.all()) {
                String deadLetters = store.schema() + ".dead_letter_entry";
                if (Boolean.TRUE.equals(store.jdbc().queryForObject("SELECT to_regclass(?) IS NOT NULL",
                        Boolean.class, deadLetters))) {
                    tables.add(new Table(deadLetters, store.jdbc(), store.transactions(), Columns.DEAD_LETTERS,
                            "deadletteridentifier"));
                }
            }
            long sealed = 0;
            long withoutSubject = 0;
            for (Table table : tables) {
                for (SealedEvent event : PersonalDataRevisions.ALL) {
                    Outcome outcome = seal(table, event, eventStore, progress);
                    sealed += outcome.sealed();
                    withoutSubject += outcome.withoutSubject();
                }
            }
            long forgotten = forgetCopiedCancellationReasons(eventStore, ownerTransactions, progress);
            progress.accept("Sealed " + sealed + " stored payloads" + (forgotten == 0 ? ""
                    : "; removed a cancellation reason from " + forgotten + " workflow copies")
                    + (withoutSubject == 0 ? ""
                    : "; " + withoutSubject + " left as they were, their subject unknown"));
            return new Outcome(sealed, withoutSubject);
        }
    }

    private Outcome seal(Table table, SealedEvent event, JdbcTemplate eventStore, Consumer<String> progress) {
        Columns c = table.columns();
        String older = c.payloadType() + " = ? AND (" + c.payloadRevision() + " IS NULL OR " + c.payloadRevision()
                + " <> ?)";
        Long total = table.jdbc().queryForObject("SELECT count(*) FROM " + table.name() + " WHERE " + older,
                Long.class, event.typeName(), event.currentRevision());
        if (total == null || total == 0) {
            return new Outcome(0, 0);
        }
        String select = "SELECT " + table.key() + ", " + c.type() + ", " + c.aggregateIdentifier() + ", "
                + c.sequenceNumber() + ", " + c.eventIdentifier() + ", " + c.timestamp() + ", " + c.payloadRevision()
                + ", " + c.payload() + ", " + c.metaData() + " FROM " + table.name() + " WHERE " + older;
        String update = "UPDATE " + table.name() + " SET " + c.payload() + " = ?, " + c.payloadRevision() + " = ? WHERE "
                + table.key() + " = ? AND " + c.payloadRevision() + " IS NOT DISTINCT FROM ?";
        long sealed = 0;
        long withoutSubject = 0;
        Object after = null;
        while (true) {
            List<Row> batch = after == null
                    ? table.jdbc().query(select + " ORDER BY " + table.key() + " LIMIT ?", Row::read,
                    event.typeName(), event.currentRevision(), batchSize)
                    : table.jdbc().query(select + " AND " + table.key() + " > ? ORDER BY " + table.key() + " LIMIT ?",
                    Row::read, event.typeName(), event.currentRevision(), after, batchSize);
            if (batch.isEmpty()) {
                break;
            }
            after = batch.get(batch.size() - 1).key();
            List<Object[]> updates = new ArrayList<>(batch.size());
            for (Row row : batch) {
                Optional<SerializedObject<byte[]>> current = sealed(event, row, eventStore);
                if (current.isEmpty()) {
                    withoutSubject++;
                    continue;
                }
                updates.add(new Object[]{current.get().getData(), current.get().getType().getRevision(), row.key(),
                        row.payloadRevision()});
            }
            int[][] done = updates.isEmpty() ? null : table.transactions().execute(status -> table.jdbc()
                    .batchUpdate(update, updates, updates.size(), (statement, values) -> {
                        for (int i = 0; i < values.length; i++) {
                            statement.setObject(i + 1, values[i]);
                        }
                    }));
            if (done != null) {
                for (int[] counts : done) {
                    for (int count : counts) {
                        sealed += Math.max(count, 0);
                    }
                }
            }
            progress.accept(table.name() + " " + event.type().getSimpleName() + ": " + (sealed + withoutSubject)
                    + " of " + total + " done, " + sealed + " sealed");
        }
        return new Outcome(sealed, withoutSubject);
    }

    /**
     * The payload in its current class, through the same upcaster chain the event store reads with, then written
     * again by the sealing serializer; empty when its subject cannot be found.
     */
    private Optional<SerializedObject<byte[]>> sealed(SealedEvent event, Row row, JdbcTemplate eventStore) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>(row.type(), row.aggregateIdentifier(),
                row.sequenceNumber(), row.eventIdentifier(), row.timestamp(), event.typeName(), row.payloadRevision(),
                row.payload(), row.metaData() == null ? "{}".getBytes(StandardCharsets.UTF_8) : row.metaData());
        IntermediateEventRepresentation upcast;
        try (Stream<IntermediateEventRepresentation> upcasting =
                     upcasters.upcast(Stream.of(new InitialEventRepresentation(entry, serializer)))) {
            upcast = upcasting.findFirst().orElseThrow(() -> new IllegalStateException(
                    "An upcaster dropped stored event " + row.eventIdentifier()));
        }
        SerializedObject<JsonNode> data = upcast.getData(JsonNode.class);
        ObjectNode payload = data.getData().deepCopy();
        if (event.type() == ReturnRequestedEvent.class && !payload.hasNonNull("customerId")) {
            Optional<JsonNode> customer = customerOfOrder(payload.path("orderId"), eventStore);
            if (customer.isEmpty()) {
                return Optional.empty();
            }
            payload.set("customerId", customer.get());
        }
        Object current = serializer.deserialize(new SimpleSerializedObject<>(payload, JsonNode.class, data.getType()));
        return Optional.of(serializer.serialize(current, byte[].class));
    }

    /**
     * The fulfilment saga used to copy a customer's cancellation reason into the step it failed
     * ({@code order cancelled: <reason>}) and into its own state: into {@link WorkflowUpdatedEvent}s, the saga
     * store and the workflows read model, none of which names a data subject to seal it for. Those copies become
     * {@code order cancelled}, as the saga writes it now; the sealed {@code OrderCancelledEvent} keeps the reason.
     */
    private long forgetCopiedCancellationReasons(JdbcTemplate eventStore, TransactionTemplate ownerTransactions,
                                                 Consumer<String> progress) {
        long forgotten = rewriteMatching(eventStore, ownerTransactions, EventStoreAutoConfiguration.SCHEMA
                + ".domain_event_entry", "global_index", "payload", "payload_type = '"
                + WorkflowUpdatedEvent.class.getName() + "'");
        for (DomainStore store : stores.all()) {
            String sagas = store.schema() + ".saga_entry";
            if (Boolean.TRUE.equals(store.jdbc().queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
                    sagas))) {
                forgotten += rewriteMatching(store.jdbc(), store.transactions(), sagas, "saga_id", "serialized_saga",
                        "TRUE");
            }
            String steps = store.schema() + ".workflow_steps";
            if (Boolean.TRUE.equals(store.jdbc().queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
                    steps))) {
                forgotten += store.jdbc().update("UPDATE " + steps + " SET error = ? WHERE error LIKE ?",
                        CANCELLED, CANCELLED + ": %");
            }
        }
        if (forgotten > 0) {
            progress.accept("Removed a copied cancellation reason from " + forgotten + " workflow copies");
        }
        return forgotten;
    }

    private static final String CANCELLED = "order cancelled";

    private long rewriteMatching(JdbcTemplate jdbc, TransactionTemplate transactions, String table, String key,
                                 String column, String condition) {
        String select = "SELECT " + key + ", " + column + " FROM " + table + " WHERE " + condition
                + " AND convert_from(" + column + ", 'UTF8') LIKE ?";
        long rewritten = 0;
        Object after = null;
        while (true) {
            List<Object[]> batch = after == null
                    ? jdbc.query(select + " ORDER BY " + key + " LIMIT ?",
                    (rs, n) -> new Object[]{rs.getObject(1), rs.getBytes(2)}, "%" + CANCELLED + ": %", batchSize)
                    : jdbc.query(select + " AND " + key + " > ? ORDER BY " + key + " LIMIT ?",
                    (rs, n) -> new Object[]{rs.getObject(1), rs.getBytes(2)}, "%" + CANCELLED + ": %", after, batchSize);
            if (batch.isEmpty()) {
                return rewritten;
            }
            after = batch.get(batch.size() - 1)[0];
            List<Object[]> updates = new ArrayList<>();
            for (Object[] row : batch) {
                try {
                    JsonNode tree = JSON.readTree((byte[]) row[1]);
                    if (forgetCancellationReasons(tree, null)) {
                        updates.add(new Object[]{JSON.writeValueAsBytes(tree), row[0]});
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(table + " holds a row that is not JSON: " + row[0], e);
                }
            }
            if (!updates.isEmpty()) {
                transactions.executeWithoutResult(status -> jdbc.batchUpdate("UPDATE " + table + " SET " + column
                        + " = ? WHERE " + key + " = ?", updates));
            }
            rewritten += updates.size();
        }
    }

    /**
     * Replaces every {@code error} that copies a cancellation reason, and the saga's {@code closeReason} that
     * holds the same reason; whether anything changed.
     */
    private static boolean forgetCancellationReasons(JsonNode node, ObjectNode root) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            ObjectNode top = root == null ? object : root;
            JsonNode error = object.get("error");
            if (error != null && error.isTextual() && error.textValue().startsWith(CANCELLED + ": ")) {
                String reason = error.textValue().substring(CANCELLED.length() + 2);
                object.put("error", CANCELLED);
                JsonNode closeReason = top.get("closeReason");
                if (closeReason != null && closeReason.isTextual() && closeReason.textValue().equals(reason)) {
                    top.put("closeReason", CANCELLED);
                }
                changed = true;
            }
            for (JsonNode child : object) {
                changed |= forgetCancellationReasons(child, top);
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode child : node) {
                changed |= forgetCancellationReasons(child, root);
            }
        }
        return changed;
    }

    /** The customer id, as its {@link OrderPlacedEvent} stores it, of the order with this id. */
    private static Optional<JsonNode> customerOfOrder(JsonNode orderId, JdbcTemplate eventStore) {
        String id = orderId.isTextual() ? orderId.textValue() : orderId.path("value").asText(null);
        if (id == null) {
            return Optional.empty();
        }
        List<byte[]> placed = eventStore.query("SELECT payload FROM " + EventStoreAutoConfiguration.SCHEMA
                        + ".domain_event_entry WHERE aggregate_identifier = ? AND payload_type = ? ORDER BY sequence_number LIMIT 1",
                (rs, n) -> rs.getBytes(1), id, OrderPlacedEvent.class.getName());
        if (placed.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode customer = JSON.readTree(placed.get(0)).path("customerId");
            return customer.isMissingNode() || customer.isNull() ? Optional.empty() : Optional.of(customer);
        } catch (IOException e) {
            throw new IllegalStateException("The OrderPlacedEvent of order " + id + " is not JSON", e);
        }
    }

    private record Table(String name, JdbcTemplate jdbc, TransactionTemplate transactions, Columns columns, String key) {
    }

    /** Column names: the event store's, and Axon's default ones of the dead-letter tables. */
    private record Columns(String type, String aggregateIdentifier, String sequenceNumber, String eventIdentifier,
                           String timestamp, String payloadType, String payloadRevision, String payload,
                           String metaData) {
        static final Columns EVENTS = new Columns("type", "aggregate_identifier", "sequence_number",
                "event_identifier", "time_stamp", "payload_type", "payload_revision", "payload", "meta_data");
        static final Columns DEAD_LETTERS = new Columns("type", "aggregateidentifier", "sequencenumber",
                "eventidentifier", "timestamp", "payloadtype", "payloadrevision", "payload", "metadata");
    }

    private record Row(Object key, String type, String aggregateIdentifier, long sequenceNumber,
                       String eventIdentifier, String timestamp, String payloadRevision, byte[] payload,
                       byte[] metaData) {
        static Row read(ResultSet rs, int n) throws SQLException {
            return new Row(rs.getObject(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9));
        }
    }
}
