package org.orderly.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Commands over REST with group commit on, on real PostgreSQL: commands sent together share transactions, every
 * sender gets the answer it would get alone, and what was answered is stored.
 */
@OrderlyIntegrationTest
@TestPropertySource(properties = {
        "orderly.commands.group-commit.enabled=true",
        // wide enough for requests arriving over a loaded machine to meet in one batch
        "orderly.commands.group-commit.max-wait=50ms"})
class GroupCommitIT {

    private static final String BATCHES = "orderly.commands.group-commit.batches";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    MeterRegistry meters;
    Identities identities;
    Http http;
    Http staff;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.anonymous();
        staff = identities.staff();
    }

    @Test
    void sixtyFourConcurrentRegistrationsAllSucceedInFewerTransactionsThanCommands() throws Exception {
        double committedBefore = batches("committed");
        List<Callable<Http.Response>> registrations = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            registrations.add(() -> register(uniqueEmail(), "Batched"));
        }

        List<Http.Response> answers = inParallel(registrations);

        List<String> ids = new ArrayList<>();
        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            String id = answer.json().get("customerId").asText();
            ids.add(id);
            long position = Long.parseLong(answer.header("Orderly-Position"));
            assertThat(position).as("at or after the customer's own event").isGreaterThanOrEqualTo(eventStore.queryForObject(
                    "SELECT max(global_index) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class, id));
            Http.Response read = staff.get("/api/customers/" + id, "Orderly-Position", Long.toString(position));
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
        }
        // each row records the transaction that wrote it: the 64 registrations took fewer
        Integer transactions = eventStore.queryForObject("SELECT count(DISTINCT xmin::text) FROM "
                + "event_store.domain_event_entry WHERE aggregate_identifier = ANY (?)", Integer.class,
                (Object) ids.toArray(String[]::new));
        var sizes = meters.get("orderly.commands.group-commit.batch.size").summary();
        System.out.printf("64 registrations stored by %d transactions; batches so far: %d, mean size %.1f, max %.0f%n",
                transactions, sizes.count(), sizes.mean(), sizes.max());
        assertThat(transactions).isLessThan(64);
        assertThat(batches("committed")).isGreaterThan(committedBefore);
    }

    @Test
    void aDuplicateEmailInABatchIsRefusedAloneAndItsNeighboursAreRegistered() throws Exception {
        String shared = uniqueEmail();
        List<Callable<Http.Response>> registrations = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String email = i % 3 == 0 ? shared : uniqueEmail();
            registrations.add(() -> register(email, "Neighbour"));
        }

        List<Http.Response> answers = inParallel(registrations);

        List<Integer> sharedStatuses = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            if (i % 3 == 0) {
                sharedStatuses.add(answers.get(i).status());
            } else {
                assertThat(answers.get(i).status()).as(answers.get(i).toString()).isEqualTo(201);
                assertRegistered(answers.get(i));
            }
        }
        assertThat(sharedStatuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(sharedStatuses).filteredOn(s -> s == 409).hasSize(7);
        assertThat(eventStore.queryForObject("SELECT count(*) FROM customer_registry.customer_email WHERE email = ?",
                Integer.class, shared)).isEqualTo(1);
    }

    @Test
    void commandsRefusedInABatchFailAloneAndTheirNeighboursSucceed() throws Exception {
        String email = uniqueEmail();
        String customer = register(email, "Refused").json().get("customerId").asText();
        Http self = http.as(identities.token(email, Identities.CUSTOMER_PASSWORD));
        String unknown = UUID.randomUUID().toString();
        List<Callable<Http.Response>> commands = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            commands.add(() -> register(uniqueEmail(), "Neighbour"));
        }
        commands.add(() -> self.post("/api/customers/" + customer + "/deactivation", null, "If-Match", "\"7\""));
        commands.add(() -> staff.put("/api/customers/" + unknown + "/credit-limit",
                "{\"amount\": \"9.00\", \"currency\": \"EUR\"}"));

        List<Http.Response> answers = inParallel(commands);

        for (Http.Response registration : answers.subList(0, 16)) {
            assertThat(registration.status()).as(registration.toString()).isEqualTo(201);
            assertRegistered(registration);
        }
        assertThat(answers.get(16).status()).as("a stale version").isEqualTo(409);
        assertThat(answers.get(17).status()).as("an unknown customer").isEqualTo(404);
        assertThat(eventsOf(customer)).isEqualTo(1);
    }

    @Test
    void changesOfOneCustomerSentTogetherAreAllAppliedOneAfterTheOther() throws Exception {
        String customer = register(uniqueEmail(), "Busy").json().get("customerId").asText();
        List<Callable<Http.Response>> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String amount = (100 + i) + ".00";
            changes.add(() -> staff.put("/api/customers/" + customer + "/credit-limit",
                    "{\"amount\": \"" + amount + "\", \"currency\": \"EUR\"}"));
        }

        List<Http.Response> answers = inParallel(changes);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(204));
        assertThat(eventStore.queryForList("SELECT sequence_number FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, customer))
                .as("the registration and ten changes, in one unbroken sequence")
                .containsExactlyElementsOf(LongStream.range(0, 11).boxed().toList());
    }

    @Test
    void twoCommandsExpectingTheSameVersionSentTogetherLetExactlyOneThrough() throws Exception {
        String email = uniqueEmail();
        String customer = register(email, "Raced").json().get("customerId").asText();
        Http self = http.as(identities.token(email, Identities.CUSTOMER_PASSWORD));
        List<Callable<Http.Response>> deactivations = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // both expect the version the customer had when registered: whichever runs second finds it passed
            deactivations.add(() -> self.post("/api/customers/" + customer + "/deactivation", null,
                    "If-Match", "\"0\""));
        }

        List<Integer> statuses = inParallel(deactivations).stream().map(Http.Response::status).toList();

        assertThat(statuses).containsExactlyInAnyOrder(204, 409);
        assertThat(eventsOf(customer)).isEqualTo(2);
    }

    private void assertRegistered(Http.Response answer) {
        String id = answer.json().get("customerId").asText();
        assertThat(eventsOf(id)).as("the customer's registration is stored").isGreaterThanOrEqualTo(1);
        Awaits.awaitFound(staff, "/api/customers/" + id, c -> true);
    }

    private int eventsOf(String aggregate) {
        return eventStore.queryForObject(
                "SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class, aggregate);
    }

    private double batches(String outcome) {
        return meters.get(BATCHES).tag("outcome", outcome).counter().count();
    }

    private Http.Response register(String email, String name) {
        return http.post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"" + name
                + "\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(tasks)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String uniqueEmail() {
        return "g-" + UUID.randomUUID() + "@example.com";
    }
}
