package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The proof that erasure forgets: two customers whose emails, names, addresses and typed texts are unique
 * sentinels go through sign-up, orders, notifications, an email change, an address, a cancellation, a return, a dead
 * letter and exports (their own and staff's); one of them is erased; every projection is replayed and every domain rebuilt. Then every table of
 * every schema of the database is searched as the database superuser (text of every row, and the bytes of
 * every binary column), every stored event, snapshot and dead letter is decoded through the application's own
 * serializer, and the captured log is searched: the erased customer's sentinel is nowhere, and everything of
 * the other customer is still there.
 */
@OrderlyIntegrationTest
@DirtiesContext // replays and rebuilds of every domain: a context, and a database, of its own
@ExtendWith(OutputCaptureExtension.class)
@Import(PersonalDataProofIT.GreetingCards.class)
class PersonalDataProofIT {

    /** Names starting so make the greeting-card projection fail, with the name in the exception's message. */
    static final String UNGREETABLE = "Ungreetable";

    /**
     * A projection with a bug that puts a customer's name and email in its exception message, as real bugs do:
     * the failing event goes to its domain's dead-letter queue, with that message as the dead letter's cause.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class GreetingCards {
        @Bean
        DomainStoreDefinition greetingCardsDomainStore() {
            return DomainStoreDefinition.of("poison", "greeting-cards");
        }

        @Bean
        GreetingCardProjection greetingCardProjection() {
            return new GreetingCardProjection();
        }
    }

    @ProcessingGroup("greeting-cards")
    static class GreetingCardProjection {
        @EventHandler
        void on(CustomerRegisteredEvent event) {
            if (event.name() != null && event.name().startsWith(UNGREETABLE)) {
                throw new IllegalStateException("No greeting card design for " + event.name() + " <" + event.email()
                        + ">");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @LocalServerPort
    int port;
    @Autowired
    OrderlyDatabase database;
    @Autowired
    EventStore eventStore;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;

    @Test
    void anErasedCustomersDataIsFoundInNoTableNoDecodedMessageAndNoLogLineAfterReplaysAndRebuilds(
            CapturedOutput output) {
        Identities identities = new Identities(port);
        ReturnsTestSupport returns = new ReturnsTestSupport(identities);
        Http staff = returns.staff();
        Person erased = Person.named("erased");
        Person kept = Person.named("kept");
        String product = returns.product("Proof pen", "3.00", 20);
        Map<Person, String> ids = new LinkedHashMap<>();
        for (Person person : List.of(erased, kept)) {
            Identities.Customer customer = identities.customer(person.email(), person.name());
            String id = returns.customer(customer);
            ids.put(person, id);
            Http as = returns.as(id);
            String delivered = returns.deliveredOrder(id, ReturnsTestSupport.line(product, 2));
            Http.Response returned = returns.requestReturnAs(as, delivered, "Too small for " + person.sentinel(),
                    ReturnsTestSupport.line(product, 1));
            assertThat(returned.status()).as(returned.toString()).isEqualTo(202);
            returns.awaitReturn(returned.json().get("returnId").asText(), r -> !r.get("status").asText().isEmpty());
            String cancelled = returns.place(id, ReturnsTestSupport.line(product, 1));
            Http.Response cancellation = as.post("/api/orders/" + cancelled + "/cancellation",
                    "{\"reason\": \"Bought elsewhere by " + person.sentinel() + "\"}");
            assertThat(cancellation.status()).as(cancellation.toString()).isEqualTo(202);
            assertThat(as.put("/api/customers/" + id + "/email", "{\"email\": \"" + person.changedEmail() + "\"}")
                    .status()).isEqualTo(204);
            Http.Response address = as.post("/api/customers/" + id + "/addresses", "{\"recipientName\": \""
                    + person.name() + "\", \"line1\": \"" + person.addressLine() + "\", \"postalCode\": \"10115\", "
                    + "\"city\": \"Berlin\", \"country\": \"DE\", \"defaultShipping\": true}");
            assertThat(address.status()).as(address.toString()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> staff.get("/api/notifications?customerId=" + id
                    + "&limit=100").json().get("items").findValues("status").stream()
                    .filter(status -> status.asText().equals("SENT")).count() >= 3);
        }
        String erasedId = ids.get(erased);
        String keptId = ids.get(kept);
        JdbcTemplate superuser = new JdbcTemplate(database.admin().orElseThrow());
        await().atMost(Duration.ofSeconds(30)).until(() -> superuser.queryForObject(
                "SELECT count(*) FROM poison.dead_letter_entry WHERE sequenceIdentifier IN (?, ?)", Long.class,
                erasedId, keptId) == 2);
        assertThat(holdersOf(superuser, erased.sentinel())).as("before the erasure, the sentinel is found")
                .isNotEmpty();
        for (String id : List.of(erasedId, keptId)) {
            Http.Response export = returns.as(id).get("/api/customers/" + id + "/export");
            assertThat(export.status()).as(export.toString()).isEqualTo(200);
            assertThat(export.body()).as("the customer's own export").contains(id.equals(erasedId)
                    ? erased.sentinel() : kept.sentinel());
            assertThat(staff.get("/api/customers/" + id + "/export").status()).as("staff's export").isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> identities.operator().get("/api/audit?subjectId=" + id)
                    .json().get("items").findValuesAsText("operation").contains("export"));
        }

        Http.Response asked = returns.as(erasedId).request("POST", "/api/customers/" + erasedId + "/erasure", null);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> staff.get("/api/customers/" + erasedId + "/erasure")
                .json().path("status").asText().equals("ERASED"));
        assertThat(holdersOf(superuser, erased.sentinel())).as("tables holding the erased customer's data once "
                + "every domain confirmed").isEmpty();
        assertThat(decodedHolding(superuser, erased.sentinel())).as("decoded messages holding it then").isEmpty();
        replayAndRebuildEverything(identities.operator());

        assertThat(holdersOf(superuser, erased.sentinel())).as("tables holding the erased customer's data").isEmpty();
        assertThat(decodedHolding(superuser, erased.sentinel())).as("decoded messages holding it").isEmpty();
        assertThat(output.getAll()).as("the log").doesNotContain(erased.sentinel()).doesNotContain(kept.sentinel());

        Http.Response erasedExport = staff.get("/api/customers/" + erasedId + "/export");
        assertThat(erasedExport.status()).as(erasedExport.toString()).isEqualTo(200);
        assertThat(erasedExport.body()).as("the erased customer's export").doesNotContain(erased.sentinel());
        assertThat(staff.get("/api/customers/" + keptId + "/export").body()).as("the kept customer's export")
                .contains(kept.changedEmail()).contains(kept.name())
                .contains("Too small for " + kept.sentinel()).contains("Bought elsewhere by " + kept.sentinel())
                .contains(kept.addressLine());
        JsonNode keptCustomer = staff.get("/api/customers/" + keptId).json();
        assertThat(keptCustomer.get("email").asText()).isEqualTo(kept.changedEmail());
        assertThat(keptCustomer.get("name").asText()).isEqualTo(kept.name());
        assertThat(holdersOf(superuser, kept.sentinel())).as("the kept customer's data is still held")
                .contains("customer.customers", "customer.customer_addresses", "orders.customer_copies",
                        "notification.notifications");
        assertThat(decodedHolding(superuser, kept.sentinel())).as("and decodes from the events")
                .anyMatch(found -> found.contains("CustomerRegisteredEvent"))
                .anyMatch(found -> found.contains("CustomerAddressAddedEvent") && found.contains(kept.addressLine()))
                .anyMatch(found -> found.contains("OrderCancelledEvent"))
                .anyMatch(found -> found.contains("ReturnRequestedEvent"))
                .anyMatch(found -> found.startsWith("dead letter"));
    }

    /** A customer whose every personal value carries one sentinel, so that a search for it finds them all. */
    record Person(String sentinel) {
        static Person named(String role) {
            return new Person(role + UUID.randomUUID().toString().replace("-", ""));
        }

        String email() {
            return sentinel + "@example.com";
        }

        String changedEmail() {
            return sentinel + "-new@example.com";
        }

        String addressLine() {
            return "1 " + sentinel + " Street";
        }

        String name() {
            return UNGREETABLE + " " + sentinel;
        }
    }

    /**
     * Replays every projection and cached copy, then rebuilds every domain whose read model events can give back
     * (sagas are never replayed; a domain holding state not from events refuses a rebuild, and was replayed).
     */
    private void replayAndRebuildEverything(Http operator) {
        JsonNode processors = operator.get("/api/ops/processors").json().get("items");
        List<String> replays = new ArrayList<>();
        Map<String, String> domains = new LinkedHashMap<>();
        for (JsonNode processor : processors) {
            if (processor.get("kind").asText().equals("SAGA") || !processor.path("domain").isTextual()) {
                continue;
            }
            Http.Response replay = operator.post("/api/ops/processors/" + processor.get("name").asText() + "/replay",
                    null);
            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            replays.add(replay.json().get("replayId").asText());
            // The greeting cards' schema keeps its dead letters: a rebuild would replace them with the replay's.
            if (!processor.get("domain").asText().equals("poison")) {
                domains.putIfAbsent(processor.get("domain").asText(), processor.get("name").asText());
            }
        }
        for (String replay : replays) {
            await().atMost(Duration.ofSeconds(120)).until(() -> operator.get("/api/ops/replays/" + replay).json()
                    .get("outcome").asText().equals("COMPLETED"));
        }
        List<String> rebuilds = new ArrayList<>();
        for (String processor : domains.values()) {
            Http.Response rebuild = operator.post("/api/ops/processors/" + processor + "/rebuild", null);
            assertThat(rebuild.status()).as(rebuild.toString()).isIn(202, 422);
            if (rebuild.status() == 202) {
                rebuilds.add(rebuild.json().get("rebuildId").asText());
            }
        }
        assertThat(rebuilds).as("domains rebuilt").isNotEmpty();
        for (String rebuild : rebuilds) {
            await().atMost(Duration.ofSeconds(120)).until(() -> operator.get("/api/ops/rebuilds/" + rebuild).json()
                    .get("outcome").asText(), outcome -> !outcome.equals("RUNNING"));
            assertThat(operator.get("/api/ops/rebuilds/" + rebuild).json().get("outcome").asText())
                    .isEqualTo("COMPLETED");
        }
    }

    /**
     * Every table of every schema that holds the sentinel in any column: in the text of the row, or in the bytes of
     * a binary column (event payloads, metadata, tokens, serialized sagas and dead letters).
     */
    private static List<String> holdersOf(JdbcTemplate superuser, String sentinel) {
        List<String> holders = new ArrayList<>();
        List<Map<String, Object>> tables = superuser.queryForList("""
                SELECT table_schema, table_name FROM information_schema.tables
                 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                 ORDER BY 1, 2
                """);
        assertThat(tables).as("tables searched").hasSizeGreaterThan(30);
        for (Map<String, Object> table : tables) {
            String schema = (String) table.get("table_schema");
            String name = (String) table.get("table_name");
            List<String> binary = superuser.queryForList("""
                    SELECT column_name FROM information_schema.columns
                     WHERE table_schema = ? AND table_name = ? AND data_type = 'bytea'
                    """, String.class, schema, name);
            StringBuilder condition = new StringBuilder("t::text LIKE ?");
            List<Object> arguments = new ArrayList<>(List.of("%" + sentinel + "%"));
            for (String column : binary) {
                condition.append(" OR position(convert_to(?, 'UTF8') IN t.\"").append(column).append("\") > 0");
                arguments.add(sentinel);
            }
            Long hits = superuser.queryForObject("SELECT count(*) FROM \"" + schema + "\".\"" + name + "\" t WHERE "
                    + condition, Long.class, arguments.toArray());
            if (hits != null && hits > 0) {
                holders.add(schema + "." + name);
            }
        }
        return holders;
    }

    /**
     * Every stored event (payload and metadata), snapshot and dead letter, decoded through the application's event
     * serializer (so with each customer's key, where it still exists), that holds the sentinel.
     */
    private List<String> decodedHolding(JdbcTemplate superuser, String sentinel) {
        List<String> found = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(null)) {
            while (events.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                TrackedEventMessage<?> event = events.nextAvailable();
                String decoded = event.getPayloadType().getSimpleName() + " " + json(event.getPayload()) + " "
                        + json(event.getMetaData());
                if (decoded.contains(sentinel)) {
                    found.add(decoded);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        superuser.query("SELECT payload, payload_type, payload_revision FROM event_store.snapshot_event_entry", row -> {
            String decoded = "snapshot " + row.getString(2) + " " + json(serializer.deserialize(
                    new SimpleSerializedObject<>(row.getBytes(1), byte[].class, row.getString(2), row.getString(3))));
            if (decoded.contains(sentinel)) {
                found.add(decoded);
            }
        });
        for (String schema : superuser.queryForList("""
                SELECT table_schema FROM information_schema.tables WHERE table_name = 'dead_letter_entry'
                """, String.class)) {
            superuser.query("SELECT payload, payloadType, payloadRevision, metaData, causeType, causeMessage FROM \""
                    + schema + "\".dead_letter_entry", row -> {
                String decoded = "dead letter in " + schema + " " + row.getString(2) + " " + json(serializer.deserialize(
                        new SimpleSerializedObject<>(row.getBytes(1), byte[].class, row.getString(2),
                                row.getString(3)))) + " " + row.getString(5) + " " + row.getString(6);
                if (decoded.contains(sentinel)) {
                    found.add(decoded);
                }
            });
        }
        return found;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
