package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.AddCustomerAddressCommand;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerAddressAddedEvent;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.customer.SetCustomerCreditLimitCommand;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.StoredEventSealing;
import org.orderly.config.privacy.SubjectKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Events stored before personal data was sealed, decoded from their <b>stored</b> payloads: the resources under
 * {@code stored-events/plaintext} are the payloads, types and revisions exactly as the event serializer wrote them
 * into {@code domain_event_entry} before sealing (ids and the sentinel {@code 7f3a} are replaced per test, so that
 * each test stores events of its own). They load through the upcaster chain, the one-time migration seals them in
 * place under the current revision, a second run changes nothing, and an erased customer's are migrated to
 * placeholders.
 */
@OrderlyIntegrationTest
// Its stored events are history no command wrote (a cancellation of an order placed nowhere): a context, and a
// database, of its own, so that no other test meets what the projections make of them.
@org.springframework.test.annotation.DirtiesContext
class StoredPlaintextEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUSTOMER = "0a0a0a0a-1111-4111-8111-000000000001";
    private static final String RETURNED_ORDER = "0b0b0b0b-2222-4222-8222-000000000002";
    private static final String CANCELLED_ORDER = "0b0b0b0b-2222-4222-8222-000000000003";
    private static final String RETURN = "0c0c0c0c-3333-4333-8333-000000000004";
    private static final String PRODUCT = "0d0d0d0d-4444-4444-8444-000000000005";
    private static final String SENTINEL = "7f3a";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore events;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;
    @Autowired
    StoredEventSealing sealing;
    @Autowired
    SubjectKeys keys;
    @Autowired
    DomainStores stores;
    @Autowired
    CommandGateway commands;
    @Autowired
    OrderlyDatabase database;
    @Autowired
    @Qualifier("personalDataUpcasters")
    EventUpcaster upcasters;
    @Autowired
    org.axonframework.config.Configuration axon;

    @Test
    void plaintextEventsOfEveryOlderRevisionLoadIntoTheCurrentEventsAndBuildTheReadModels() {
        Stored stored = storeOldRevisions();

        assertThat(jdbc.queryForList("SELECT payload_revision FROM event_store.domain_event_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number", String.class, stored.customer))
                .as("as the serializer stored them before sealing").containsExactly("2", "1");
        List<Object> customer = payloads(stored.customer);
        assertThat(customer.get(0)).isEqualTo(new CustomerRegisteredEvent(CustomerId.of(stored.customer),
                "sentinel-email-" + stored.sentinel + "@example.com", "Sentinel Name " + stored.sentinel,
                Money.of("500.00", "EUR")));
        assertThat(customer.get(1)).isEqualTo(new CustomerEmailChangedEvent(CustomerId.of(stored.customer),
                "sentinel-changed-" + stored.sentinel + "@example.com"));
        assertThat(((OrderCancelledEvent) payloads(stored.cancelledOrder).get(0)).reason())
                .isEqualTo("sentinel cancel reason " + stored.sentinel);
        ReturnRequestedEvent requested = (ReturnRequestedEvent) payloads(stored.returnId).get(0);
        assertThat(requested.customerId()).as("revision 1 names no customer").isNull();
        assertThat(requested.reason()).isEqualTo("sentinel return reason " + stored.sentinel);
        assertThat(requested.lines()).singleElement().satisfies(line -> {
            assertThat(line.productId()).isEqualTo(ProductId.of(PRODUCT));
            assertThat(line.unitPrice()).isEqualTo(Money.of("12.50", "EUR"));
        });

        IntermediateEventRepresentation upcast = upcastStored(stored.returnId);
        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat(upcast.getData(JsonNode.class).getData().get("customerId").isNull()).isTrue();
        assertThat(upcastStored(stored.customer).getType().getRevision()).isEqualTo("3");
        assertThat(upcastStored(stored.cancelledOrder).getType().getRevision()).isEqualTo("2");

        raiseCreditLimit(stored.customer, "700.00");
        assertThat(payloads(stored.customer)).last()
                .isEqualTo(new CustomerCreditLimitSetEvent(CustomerId.of(stored.customer), Money.of("700.00", "EUR")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stores.get("customer").jdbc()
                .queryForMap("SELECT email, name FROM customers WHERE customer_id = ?", UUID.fromString(stored.customer)))
                .containsEntry("email", "sentinel-changed-" + stored.sentinel + "@example.com")
                .containsEntry("name", "Sentinel Name " + stored.sentinel));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stores.get("returns").jdbc()
                .queryForList("SELECT reason FROM returns WHERE return_id = ?", String.class,
                        UUID.fromString(stored.returnId)))
                .containsExactly("sentinel return reason " + stored.sentinel));
    }

    @Test
    void afterTheMigrationNoStoredPayloadHoldsPlaintextAndEachStillLoadsWithItsValues() {
        Stored stored = storeOldRevisions();
        String deadLetter = storeDeadLetter(stored);
        List<String> progress = new ArrayList<>();

        StoredEventSealing.Outcome outcome = sealing.run(progress::add);

        assertThat(outcome.sealed()).isGreaterThanOrEqualTo(5);
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("ReturnRequestedEvent"));
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains(stored.sentinel));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry"
                + " WHERE convert_from(payload, 'UTF8') LIKE ?", Long.class, "%" + stored.sentinel + "%")).isZero();
        assertThat(revisions(stored)).containsAllEntriesOf(Map.of(
                CustomerRegisteredEvent.class.getName(), "3",
                CustomerEmailChangedEvent.class.getName(), "2",
                OrderCancelledEvent.class.getName(), "2",
                ReturnRequestedEvent.class.getName(), "2",
                OrderPlacedEvent.class.getName(), "1"));
        assertThat(stores.get("customer").jdbc().queryForMap("SELECT payloadrevision, convert_from(payload, 'UTF8')"
                + " AS payload FROM dead_letter_entry WHERE deadletteridentifier = ?", deadLetter))
                .containsEntry("payloadrevision", "3")
                .hasEntrySatisfying("payload", payload -> assertThat((String) payload)
                        .doesNotContain(stored.sentinel).contains("\"email\":\"pd1:" + stored.customer + ":"));

        List<Object> customer = payloads(stored.customer);
        assertThat(((CustomerRegisteredEvent) customer.get(0)).name()).isEqualTo("Sentinel Name " + stored.sentinel);
        assertThat(((CustomerEmailChangedEvent) customer.get(1)).email())
                .isEqualTo("sentinel-changed-" + stored.sentinel + "@example.com");
        assertThat(((OrderCancelledEvent) payloads(stored.cancelledOrder).get(0)).reason())
                .isEqualTo("sentinel cancel reason " + stored.sentinel);
        ReturnRequestedEvent requested = (ReturnRequestedEvent) payloads(stored.returnId).get(0);
        assertThat(requested.customerId()).as("filled in from the order's OrderPlacedEvent")
                .isEqualTo(CustomerId.of(stored.customer));
        assertThat(requested.reason()).isEqualTo("sentinel return reason " + stored.sentinel);
        raiseCreditLimit(stored.customer, "800.00");
        assertThat(payloads(stored.customer)).last()
                .isEqualTo(new CustomerCreditLimitSetEvent(CustomerId.of(stored.customer), Money.of("800.00", "EUR")));
        stores.get("customer").jdbc().update("DELETE FROM dead_letter_entry WHERE deadletteridentifier = ?", deadLetter);
    }

    /**
     * Addresses were sealed from their first revision: one added to a customer whose older events are still
     * plaintext is stored sealed, the migration leaves its payload byte for byte as it was, and it loads as added.
     */
    @Test
    void anAddressSealedFromItsFirstRevisionIsLeftAsItWasByTheMigrationAndLoadsAsAdded() {
        Stored stored = storeOldRevisions();
        AddressId addressId = AddressId.newId();
        PostalAddress address = new PostalAddress("Sentinel Recipient " + stored.sentinel,
                "sentinel address line " + stored.sentinel, null, "10115", "Berlin", null, "DE", null);
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new AddCustomerAddressCommand(
                        CustomerId.of(stored.customer), addressId, address, true, false, null))
                .withMetaData(Actor.customer("subject-" + stored.customer, UUID.fromString(stored.customer))
                        .toMetaData()));
        byte[] added = addressPayload(stored.customer);
        assertThat(new String(added, StandardCharsets.UTF_8)).doesNotContain(stored.sentinel)
                .contains("\"address\":\"pd1:" + stored.customer + ":");

        sealing.run(line -> { });

        assertThat(addressPayload(stored.customer)).as("the stored payload after the migration").isEqualTo(added);
        assertThat(payloads(stored.customer)).contains(new CustomerAddressAddedEvent(CustomerId.of(stored.customer),
                addressId, address));
    }

    private byte[] addressPayload(String customer) {
        return jdbc.queryForObject("SELECT payload FROM event_store.domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type = ?", byte[].class, customer, CustomerAddressAddedEvent.class.getName());
    }

    @Test
    void runningTheMigrationAgainChangesNothing() {
        Stored stored = storeOldRevisions();
        sealing.run(line -> { });
        List<Map<String, Object>> sealed = rows(stored);

        StoredEventSealing.Outcome again = sealing.run(line -> { });

        assertThat(again.sealed()).isZero();
        assertThat(rows(stored)).usingRecursiveComparison().isEqualTo(sealed);
    }

    @Test
    void aMigrationStoppedHalfwayIsCompletedByRunningItAgain() {
        Stored stored = storeOldRevisions();
        StoredEventSealing oneAtATime = new StoredEventSealing(database, stores, serializer, upcasters, 1);
        AtomicInteger batches = new AtomicInteger();

        assertThatThrownBy(() -> oneAtATime.run(line -> {
            if (batches.incrementAndGet() == 2) {
                throw new IllegalStateException("the node stopped");
            }
        })).hasMessage("the node stopped");

        assertThat(revisions(stored)).as("what the first batches sealed stays sealed, the rest is still plaintext")
                .containsEntry(OrderCancelledEvent.class.getName(), "1")
                .containsEntry(ReturnRequestedEvent.class.getName(), "1");
        oneAtATime.run(line -> { });
        assertThat(revisions(stored)).containsEntry(CustomerRegisteredEvent.class.getName(), "3")
                .containsEntry(CustomerEmailChangedEvent.class.getName(), "2")
                .containsEntry(OrderCancelledEvent.class.getName(), "2")
                .containsEntry(ReturnRequestedEvent.class.getName(), "2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry"
                + " WHERE convert_from(payload, 'UTF8') LIKE ?", Long.class, "%" + stored.sentinel + "%")).isZero();
        assertThat(((ReturnRequestedEvent) payloads(stored.returnId).get(0)).reason())
                .isEqualTo("sentinel return reason " + stored.sentinel);
    }

    @Test
    void anErasedCustomersPlaintextEventsAreMigratedToPlaceholders() {
        Stored stored = storeOldRevisions();
        // As Axon stores an event whose class names no revision.
        owner().update("UPDATE event_store.domain_event_entry SET payload_revision = NULL"
                + " WHERE aggregate_identifier = ? AND sequence_number = 1", stored.customer);
        keys.erase(stored.customer);

        sealing.run(line -> { });

        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry"
                + " WHERE convert_from(payload, 'UTF8') LIKE ?", Long.class, "%" + stored.sentinel + "%")).isZero();
        assertThat(revisions(stored)).containsEntry(CustomerRegisteredEvent.class.getName(), "3")
                .containsEntry(CustomerEmailChangedEvent.class.getName(), "2")
                .containsEntry(ReturnRequestedEvent.class.getName(), "2");
        assertThat(stores.get("keys").jdbc().queryForObject("SELECT count(*) FROM subject_key WHERE subject_id = ?",
                Long.class, stored.customer)).as("no key is created for an erased customer").isZero();
        List<Object> customer = payloads(stored.customer);
        assertThat(customer.get(0)).isEqualTo(new CustomerRegisteredEvent(CustomerId.of(stored.customer),
                PersonalData.ERASED, PersonalData.ERASED, Money.of("500.00", "EUR")));
        assertThat(customer.get(1)).isEqualTo(new CustomerEmailChangedEvent(CustomerId.of(stored.customer),
                PersonalData.ERASED));
        assertThat(((OrderCancelledEvent) payloads(stored.cancelledOrder).get(0)).reason())
                .isEqualTo(PersonalData.ERASED);
        ReturnRequestedEvent requested = (ReturnRequestedEvent) payloads(stored.returnId).get(0);
        assertThat(requested.customerId()).isEqualTo(CustomerId.of(stored.customer));
        assertThat(requested.reason()).isEqualTo(PersonalData.ERASED);
    }

    @Test
    void aReturnWhoseOrderIsNotInTheStoreIsLeftAsItWasAndCountedApart() throws IOException {
        String sentinel = UUID.randomUUID().toString().replace("-", "");
        String returnId = UUID.randomUUID().toString();
        JsonNode captured = captured("ReturnRequestedEvent");
        store("ProductReturn", returnId, 0, captured, Map.of(RETURN, returnId,
                RETURNED_ORDER, UUID.randomUUID().toString(), SENTINEL, sentinel));

        StoredEventSealing.Outcome outcome = sealing.run(line -> { });

        assertThat(outcome.withoutSubject()).isPositive();
        assertThat(jdbc.queryForObject("SELECT payload_revision FROM event_store.domain_event_entry"
                + " WHERE aggregate_identifier = ?", String.class, returnId)).isEqualTo("1");
        assertThat(((ReturnRequestedEvent) payloads(returnId).get(0)).reason())
                .isEqualTo("sentinel return reason " + sentinel);
        // Not left behind for the other tests' runs to count; only the owner may delete an event.
        owner().update("DELETE FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                returnId);
    }

    @Test
    void aCancellationReasonTheFulfilmentWorkflowCopiedIsForgottenEverywhereItWasCopied() {
        String sentinel = UUID.randomUUID().toString().replace("-", "");
        String orderId = UUID.randomUUID().toString();
        WorkflowId workflowId = WorkflowId.forBusiness("order-fulfilment", orderId);
        Instant now = Instant.now();
        SerializedObject<byte[]> updated = serializer.serialize(new WorkflowUpdatedEvent(workflowId,
                "order-fulfilment", orderId, WorkflowStatus.COMPENSATED, null, null, 7, List.of(
                new WorkflowStep("reserve-stock", "COMPLETED", now, now, null),
                new WorkflowStep("await-dispatch", "FAILED", now, now, "order cancelled: " + sentinel))), byte[].class);
        String eventId = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, 0, NULL, ?, ?, ?, ?, ?, ?)
                """, eventId, eventId, "{}".getBytes(StandardCharsets.UTF_8), updated.getData(),
                updated.getType().getRevision(), updated.getType().getName(), now.toString());
        String sagaId = UUID.randomUUID().toString();
        stores.get("sagas").jdbc().update("INSERT INTO saga_entry (saga_id, revision, saga_type, serialized_saga)"
                + " VALUES (?, NULL, ?, ?)", sagaId, "org.orderly.command.fulfilment.OrderFulfilmentSaga", (
                "{\"workflowId\":{\"value\":\"" + workflowId + "\"},\"steps\":[{\"name\":\"await-dispatch\","
                        + "\"status\":\"FAILED\",\"error\":\"order cancelled: " + sentinel + "\"}],"
                        + "\"closeReason\":\"" + sentinel + "\"}").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> stores.get("workflows").jdbc().queryForObject(
                "SELECT count(*) FROM workflow_steps WHERE error LIKE ?", Long.class, "%" + sentinel + "%") == 1);

        sealing.run(line -> { });

        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry"
                + " WHERE convert_from(payload, 'UTF8') LIKE ?", Long.class, "%" + sentinel + "%")).isZero();
        assertThat(stores.get("sagas").jdbc().queryForObject("SELECT convert_from(serialized_saga, 'UTF8')"
                + " FROM saga_entry WHERE saga_id = ?", String.class, sagaId))
                .doesNotContain(sentinel).contains("\"error\":\"order cancelled\"");
        assertThat(stores.get("workflows").jdbc().queryForList("SELECT error FROM workflow_steps"
                + " WHERE workflow_id = ? AND name = 'await-dispatch'", String.class, UUID.fromString(
                workflowId.toString()))).containsExactly("order cancelled");
        stores.get("sagas").jdbc().update("DELETE FROM saga_entry WHERE saga_id = ?", sagaId);
    }

    private IntermediateEventRepresentation upcastStored(String aggregateId) {
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM event_store.domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = 0", aggregateId);
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>((String) row.get("type"), aggregateId,
                0L, (String) row.get("event_identifier"), row.get("time_stamp"), (String) row.get("payload_type"),
                (String) row.get("payload_revision"), (byte[]) row.get("payload"), (byte[]) row.get("meta_data"));
        try (var upcast = axon.upcasterChain().upcast(java.util.stream.Stream.of(
                new InitialEventRepresentation(entry, serializer)))) {
            return upcast.findFirst().orElseThrow();
        }
    }

    /** The owner of the event store, the only role that may change a stored event. */
    private JdbcTemplate owner() {
        return new JdbcTemplate(new DriverManagerDataSource(database.url(), database.ownerUsername(),
                database.ownerPassword()));
    }

    private record Stored(String sentinel, String customer, String returnedOrder, String cancelledOrder,
                          String returnId) {
    }

    /** One customer's registration, email change, cancelled order and return, each as stored before sealing. */
    private Stored storeOldRevisions() {
        Stored s = new Stored(UUID.randomUUID().toString().replace("-", ""), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Map<String, String> ids = Map.of(CUSTOMER, s.customer, RETURNED_ORDER, s.returnedOrder,
                CANCELLED_ORDER, s.cancelledOrder, RETURN, s.returnId, SENTINEL, s.sentinel);
        try {
            store("Customer", s.customer, 0, captured("CustomerRegisteredEvent"), ids);
            store("Customer", s.customer, 1, captured("CustomerEmailChangedEvent"), ids);
            // The order the return is of, in its current revision: the migration finds the return's customer there.
            SerializedObject<byte[]> placed = serializer.serialize(new OrderPlacedEvent(OrderId.of(s.returnedOrder),
                    CustomerId.of(s.customer), List.of(new OrderLine(ProductId.of(PRODUCT), "Pen", 1,
                    Money.of("12.50", "EUR"))), Money.of("12.50", "EUR")), byte[].class);
            insert("Order", s.returnedOrder, 0, placed.getType().getName(), placed.getType().getRevision(),
                    placed.getData());
            store("Order", s.cancelledOrder, 0, captured("OrderCancelledEvent"), ids);
            store("ProductReturn", s.returnId, 0, captured("ReturnRequestedEvent"), ids);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    private static JsonNode captured(String event) throws IOException {
        try (InputStream in = StoredPlaintextEventsIT.class.getResourceAsStream(
                "/stored-events/plaintext/" + event + ".json")) {
            return JSON.readTree(in);
        }
    }

    private void store(String aggregateType, String aggregateId, long sequence, JsonNode captured,
                       Map<String, String> replacements) {
        String payload = captured.get("payload").asText();
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            payload = payload.replace(replacement.getKey(), replacement.getValue());
        }
        insert(aggregateType, aggregateId, sequence, captured.get("payload_type").asText(),
                captured.get("payload_revision").asText(), payload.getBytes(StandardCharsets.UTF_8));
    }

    private void insert(String aggregateType, String aggregateId, long sequence, String payloadType, String revision,
                        byte[] payload) {
        jdbc.update("""
                INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, aggregateId, sequence, aggregateType, UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8), payload, revision, payloadType, Instant.now().toString());
    }

    /** The registration, as a dead letter of a processing group that no processor reads, before sealing. */
    private String storeDeadLetter(Stored stored) {
        String id = UUID.randomUUID().toString();
        String payload = jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = 0", String.class, stored.customer);
        String now = Instant.now().toString();
        stores.get("customer").jdbc().update("""
                INSERT INTO dead_letter_entry (deadletteridentifier, processinggroup, sequenceidentifier, sequenceindex,
                    messagetype, eventidentifier, timestamp, payloadtype, payloadrevision, payload, metadata, type,
                    aggregateidentifier, sequencenumber, enqueuedat, causetype, causemessage)
                VALUES (?, 'stored-plaintext-events', ?, 0, 'org.axonframework.eventhandling.GenericDomainEventMessage',
                    ?, ?, ?, '2', ?, ?, 'Customer', ?, 0, ?, 'java.lang.IllegalStateException', 'failed')
                """, id, stored.customer, UUID.randomUUID().toString(), now, CustomerRegisteredEvent.class.getName(),
                payload.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), stored.customer, now);
        return id;
    }

    private List<Object> payloads(String aggregateId) {
        return events.readEvents(aggregateId).asStream().map(EventMessage::getPayload).map(Object.class::cast).toList();
    }

    private Map<String, String> revisions(Stored s) {
        Map<String, String> revisions = new java.util.HashMap<>();
        jdbc.query("SELECT payload_type, payload_revision FROM event_store.domain_event_entry"
                        + " WHERE aggregate_identifier IN (?, ?, ?, ?)",
                rs -> {
                    revisions.put(rs.getString(1), rs.getString(2));
                }, s.customer, s.returnedOrder, s.cancelledOrder, s.returnId);
        return revisions;
    }

    private List<Map<String, Object>> rows(Stored s) {
        return jdbc.queryForList("SELECT global_index, payload_revision, convert_from(payload, 'UTF8') AS payload"
                        + " FROM event_store.domain_event_entry"
                        + " WHERE aggregate_identifier IN (?, ?, ?, ?) AND sequence_number = 0 ORDER BY global_index",
                s.customer, s.returnedOrder, s.cancelledOrder, s.returnId);
    }

    private void raiseCreditLimit(String customer, String amount) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new SetCustomerCreditLimitCommand(
                CustomerId.of(customer), Money.of(amount, "EUR"), null))
                .withMetaData(new Actor("staff", java.util.Set.of(Actor.Role.STAFF), null).toMetaData()));
    }
}
