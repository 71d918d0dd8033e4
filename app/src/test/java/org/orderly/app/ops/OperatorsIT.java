package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.config.ProcessorProperties;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator tools on real PostgreSQL: processor status, replays and their refusals, dead letters with
 * retry and eviction, per-domain health, metrics, and who may use any of it.
 */
@OrderlyIntegrationTest
@AutoConfigureObservability(tracing = false)
@Import(OperatorsIT.FixablePoison.class)
class OperatorsIT {

    static final String POISON = "Fixable Poison";
    static final String POISON_GROUP = "ops-poison";
    /** The order fulfilment saga's processor, as Axon names it: sagas are never replayed. */
    static final String SAGA = "OrderFulfilmentSagaProcessor";
    /** The bug in the projection; the test fixes it by switching this off. */
    static volatile boolean broken = true;

    @TestConfiguration(proxyBeanMethods = false)
    static class FixablePoison {
        @Bean
        DomainStoreDefinition fixablePoisonDomainStore() {
            return DomainStoreDefinition.of("poison", POISON_GROUP);
        }

        @Bean
        FixablePoisonProjection fixablePoisonProjection(DomainStores stores) {
            return new FixablePoisonProjection(stores.get("poison").jdbc());
        }
    }

    @ProcessingGroup(POISON_GROUP)
    static class FixablePoisonProjection {
        private final JdbcTemplate jdbc;

        FixablePoisonProjection(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(CustomerRegisteredEvent event) {
            if (broken && event.name().startsWith(POISON)) {
                jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, NULL)", event.customerId().value());
            }
            jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    event.customerId().value(), event.name());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    @Autowired
    JdbcTemplate main;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    ProcessorProperties properties;
    Identities identities;
    /** No token: signs up, reads health. */
    Http http;
    String operator;
    /** The email each customer this test signed up logs in with. */
    private final Map<String, String> emails = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.anonymous();
        operator = identities.operatorAuthorization();
    }

    @Test
    void aStoppedProjectionShowsTheEventsItHasNotHandledAsLagUntilItCatchesUp() {
        org.axonframework.eventhandling.EventProcessor customers = processing.eventProcessor("customers").orElseThrow();
        java.time.Instant caughtUp = java.time.Instant.now();
        awaitCaughtUp("customers");
        customers.shutDown();
        try {
            long position = asOperator("GET", "/api/ops/processors/customers").json().get("segments").get(0)
                    .get("position").asLong();
            java.time.Instant firstAppended = null;
            List<String> signedUp = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                signedUp.add(register("Lagging " + UUID.randomUUID()));
                firstAppended = firstAppended == null ? java.time.Instant.now() : firstAppended;
            }
            long newest = main.queryForObject("SELECT max(global_index) FROM event_store.domain_event_entry "
                    + "WHERE aggregate_identifier IN (?, ?, ?)", Long.class, signedUp.toArray());
            java.time.Instant registered = firstAppended;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                java.time.Instant asked = java.time.Instant.now();
                JsonNode view = asOperator("GET", "/api/ops/processors/customers").json();
                java.time.Instant answered = java.time.Instant.now();
                assertThat(view.get("status").asText()).isEqualTo("STOPPED");
                assertThat(view.get("segments").get(0).get("position").asLong()).as("a stopped projection's position")
                        .isEqualTo(position);
                assertThat(view.get("head").asLong()).isGreaterThanOrEqualTo(newest);
                assertThat(view.get("lagEvents").asLong()).as("lag of a stopped projection: the head less its position")
                        .isEqualTo(view.get("head").asLong() - position)
                        .isGreaterThanOrEqualTo(newest - position);
                // the oldest event it has not seen was appended after it had caught up and before the first sign-up returned
                assertThat(view.get("lagSeconds").asDouble()).as("how long its oldest unseen event has waited")
                        .isBetween(Duration.between(registered, asked).toMillis() / 1000.0,
                                Duration.between(caughtUp, answered).toMillis() / 1000.0);
                java.util.regex.Matcher gauge = java.util.regex.Pattern
                        .compile("orderly_processor_lag_events\\{[^}]*processor=\"customers\"[^}]*} ([0-9.E]+)")
                        .matcher(asOperator("GET", "/actuator/prometheus").body());
                assertThat(gauge.find()).as("the lag gauge of customers").isTrue();
                assertThat(Double.parseDouble(gauge.group(1))).as("the lag gauge of customers")
                        .isEqualTo((double) (main.queryForObject(
                                "SELECT max(global_index) FROM event_store.domain_event_entry", Long.class) - position));
            });
        } finally {
            customers.start();
        }
        awaitCaughtUp("customers");
        assertThat(asOperator("GET", "/api/ops/processors/customers").json().get("lagSeconds").asDouble()).isZero();
    }

    @Test
    void everyProcessorAxonRunsIsListedWithItsDomainKindSegmentsAndLag() {
        register("Status " + UUID.randomUUID());
        Http.Response response = asOperator("GET", "/api/ops/processors");

        assertThat(response.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().get("items").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(processing.eventProcessors().keySet());
        assertThat(names).contains("customers", "products", "stock-levels", "orders", "order-customer-copies",
                "order-product-copies", "notifications", "notification-contacts", POISON_GROUP);
        assertThat(response.json().get("nextCursor").isNull()).isTrue();

        JsonNode customers = processor(response, "customers");
        assertThat(customers.get("kind").asText()).isEqualTo("PROJECTION");
        assertThat(customers.get("domain").asText()).isEqualTo("customer");
        assertThat(customers.get("schema").asText()).isEqualTo("customer");
        // Axon flags a segment as replaying until it sees an event newer than the reset, whichever test replayed it
        assertThat(customers.get("status").asText())
                .isEqualTo(customers.get("replaying").asBoolean() ? "REPLAYING" : "RUNNING");
        assertThat(customers.get("head").asLong()).isPositive();
        assertThat(customers.get("lagEvents").isNumber()).isTrue();
        assertThat(customers.get("segments")).hasSize(properties.initialSegments());
        customers.get("segments").forEach(segment -> assertThat(segment.has("owner") && segment.has("position")).isTrue());
        assertThat(processor(response, "order-customer-copies").get("kind").asText()).isEqualTo("CACHED_COPY");
        assertThat(processor(response, "order-customer-copies").get("domain").asText()).isEqualTo("orders");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode current = asOperator("GET", "/api/ops/processors/customers").json();
            assertThat(current.get("lagEvents").asLong()).isZero();
            current.get("segments").forEach(s -> assertThat(s.get("position").asLong()).isEqualTo(current.get("head").asLong()));
        });
        assertProblem(asOperator("GET", "/api/ops/processors/no-such-processor"), 404);
    }

    @Test
    void replayingADomainYieldsExactlyTheReadModelItHadBefore() {
        for (int i = 0; i < 12; i++) {
            String id = register("Replay " + i + " " + UUID.randomUUID());
            if (i % 3 == 0) {
                assertThat(asCustomer(id).request("PUT", "/api/customers/" + id + "/email",
                        "{\"email\": \"changed-" + UUID.randomUUID() + "@example.com\"}").status()).isEqualTo(204);
            }
        }
        JdbcTemplate customer = stores.get("customer").jdbc();
        awaitCaughtUp("customers");
        List<Map<String, Object>> before = customer.queryForList("SELECT * FROM customers ORDER BY customer_id");
        assertThat(before).hasSizeGreaterThanOrEqualTo(12);

        Http.Response started = asOperator("POST", "/api/ops/processors/customers/replay");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String replayId = started.json().get("replayId").asText();
        assertThat(started.header("Location")).isEqualTo("/api/ops/replays/" + replayId);
        assertThat(started.json().get("requestedBy").asText()).isEqualTo("operator");
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(
                () -> asOperator("GET", "/api/ops/replays/" + replayId).json(),
                replay -> replay.get("outcome").asText().equals("COMPLETED"));
        assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("endedAt").isNull()).isFalse();
        assertThat(customer.queryForList("SELECT * FROM customers ORDER BY customer_id")).isEqualTo(before);
        assertThat(main.queryForObject("SELECT requested_by FROM ops.replay WHERE replay_id = ?", String.class,
                UUID.fromString(replayId))).isEqualTo("operator");
        assertProblem(asOperator("GET", "/api/ops/replays/" + UUID.randomUUID()), 404);
    }

    @Test
    void aReplayIsRefusedForAnUnknownProcessorASagaAndWhileAnotherIsRunning() {
        assertProblem(asOperator("POST", "/api/ops/processors/no-such-processor/replay"), 404);
        assertThat(processor(asOperator("GET", "/api/ops/processors"), SAGA).get("kind").asText()).isEqualTo("SAGA");
        Http.Response saga = asOperator("POST", "/api/ops/processors/" + SAGA + "/replay");
        assertProblem(saga, 422);
        assertThat(saga.json().get("detail").asText()).contains("never replayed");

        // A replay some node started and that has not finished: its target lies beyond the head.
        UUID running = UUID.randomUUID();
        main.update("""
                INSERT INTO ops.replay (replay_id, processor_name, domain, requested_by, node, started_at,
                                        target_position, outcome)
                VALUES (?, 'stock-levels', 'inventory', 'someone', 'node-b', now(), 9223372036854775807, 'RUNNING')
                """, running);
        try {
            long before = main.queryForObject("SELECT count(*) FROM ops.replay", Long.class);
            Http.Response refused = asOperator("POST", "/api/ops/processors/stock-levels/replay");

            assertProblem(refused, 409);
            assertThat(refused.json().get("detail").asText()).contains(running.toString());
            assertThat(main.queryForObject("SELECT count(*) FROM ops.replay", Long.class)).isEqualTo(before);
        } finally {
            main.update("UPDATE ops.replay SET outcome = 'FAILED', ended_at = now() WHERE replay_id = ?", running);
        }
    }

    @Test
    void aReplayTakesOverTheClaimsOfANodeThatDiedOnceTheyLapse() {
        StreamingEventProcessor products = processing.eventProcessor("products", StreamingEventProcessor.class).orElseThrow();
        JdbcTemplate catalog = stores.get("catalog").jdbc();
        products.shutDown();
        // A node that claimed the segment 7 s ago and died: Axon respects a claim for 10 s.
        String claimed = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().minusSeconds(7));
        catalog.update("UPDATE token_entry SET owner = 'node-b@elsewhere', time_stamp = ? WHERE processor_name = 'products'",
                claimed);
        try {
            Http.Response replay = asOperator("POST", "/api/ops/processors/products/replay");

            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            assertThat(replay.json().get("releasedBy").toString()).contains("node-b@elsewhere");
            assertThat(catalog.queryForList("SELECT owner FROM token_entry WHERE processor_name = 'products'",
                    String.class)).doesNotContain("node-b@elsewhere");
            String id = replay.json().get("replayId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> asOperator("GET", "/api/ops/replays/" + id).json()
                    .get("outcome").asText(), "COMPLETED"::equals);
        } finally {
            catalog.update("UPDATE token_entry SET owner = NULL WHERE processor_name = 'products' AND owner = 'node-b@elsewhere'");
            if (!products.isRunning()) {
                products.start();
            }
        }
    }

    @Test
    void aNodeStopsAProcessorAnotherNodeHoldsAndStartsItAgainOnceTheHoldOfThatDeadNodeLapses() {
        StreamingEventProcessor products = processing.eventProcessor("products", StreamingEventProcessor.class).orElseThrow();
        // A hold that node-x took for a replay, renewed last a moment ago: then node-x died.
        main.update("INSERT INTO ops.processor_hold (processor_name, node, purpose, expires_at) "
                + "VALUES ('products', 'node-x@gone', 'replay of a node that died', now() + interval '4 seconds')");
        try {
            await().atMost(Duration.ofSeconds(3)).until(() -> !products.isRunning());
            JsonNode holds = asOperator("GET", "/api/ops/cluster").json().get("holds");
            assertThat(holds.toString()).contains("node-x@gone").contains("products");

            await().atMost(Duration.ofSeconds(10)).until(products::isRunning);
            assertThat(asOperator("GET", "/api/ops/cluster").json().get("holds")).isEmpty();
        } finally {
            main.update("DELETE FROM ops.processor_hold WHERE node = 'node-x@gone'");
            if (!products.isRunning()) {
                products.start();
            }
        }
    }

    @Test
    void aPoisonEventParksOneSequenceWhileOthersProceedAndARetryAfterTheFixDrainsIt() {
        broken = true;
        JdbcTemplate poison = stores.get("poison").jdbc();
        String before = register("Healthy " + UUID.randomUUID());
        String poisoned = register(POISON + " " + UUID.randomUUID());
        String after = register("Healthy " + UUID.randomUUID());

        await().atMost(Duration.ofSeconds(20)).until(() -> poison.queryForObject(
                "SELECT count(*) FROM seen_customers WHERE customer_id IN (?, ?)", Integer.class,
                UUID.fromString(before), UUID.fromString(after)) == 2);
        JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> letterOf(poisoned), l -> l != null);
        assertThat(letter.get("processor").asText()).isEqualTo(POISON_GROUP);
        assertThat(letter.get("domain").asText()).isEqualTo("poison");
        assertThat(letter.get("payloadType").asText()).isEqualTo(CustomerRegisteredEvent.class.getName());
        assertThat(letter.get("causeMessage").asText()).contains("null value");
        // the letter's event carries the customer's name: looking at it is recorded as an access to their data
        assertThat(letter.get("subjectId").asText()).isEqualTo(poisoned);
        assertThat(asOperator("GET", "/api/audit?subjectId=" + poisoned).json().get("items").findValuesAsText("operation"))
                .contains("dead-letter inspection");
        assertThat(processor(asOperator("GET", "/api/ops/processors"), POISON_GROUP).get("deadLetters").asLong())
                .isPositive();
        Http.Response domainHealth = http.get("/actuator/health/poison");
        assertThat(domainHealth.status()).isEqualTo(503);
        assertThat(domainHealth.json().get("status").asText()).isEqualTo("DEGRADED");

        Http.Response stillBroken = asOperator("POST", "/api/ops/dead-letters/" + letter.get("id").asText() + "/retry");
        assertThat(stillBroken.status()).isEqualTo(200);
        assertThat(stillBroken.json().get("drained").asBoolean()).isFalse();
        assertThat(letterOf(poisoned)).isNotNull();

        broken = false;
        Http.Response fixed = asOperator("POST", "/api/ops/dead-letters/" + letter.get("id").asText() + "/retry");

        assertThat(fixed.status()).isEqualTo(200);
        assertThat(fixed.json().get("drained").asBoolean()).isTrue();
        assertThat(letterOf(poisoned)).isNull();
        assertThat(poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id = ?", Integer.class,
                UUID.fromString(poisoned))).isOne();
    }

    @Test
    void retryAllDrainsEveryFixedSequenceAndAnEvictionIsRecorded() {
        broken = true;
        String first = register(POISON + " " + UUID.randomUUID());
        String second = register(POISON + " " + UUID.randomUUID());
        String third = register(POISON + " " + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                letterOf(first) != null && letterOf(second) != null && letterOf(third) != null);

        String evicted = letterOf(third).get("id").asText();
        assertThat(asOperator("DELETE", "/api/ops/dead-letters/" + evicted).status()).isEqualTo(204);
        assertThat(letterOf(third)).isNull();
        assertThat(main.queryForObject("SELECT evicted_by FROM ops.dead_letter_eviction WHERE dead_letter_id = ?",
                String.class, evicted)).isEqualTo("operator");
        assertProblem(asOperator("DELETE", "/api/ops/dead-letters/" + evicted), 404);

        broken = false;
        Http.Response retried = asOperator("POST", "/api/ops/dead-letters/retry-all?processor=" + POISON_GROUP);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("stillFailing").asInt()).isZero();
        assertThat(letterOf(first)).isNull();
        assertThat(letterOf(second)).isNull();
        assertProblem(asOperator("POST", "/api/ops/dead-letters/retry-all"), 400);
        assertProblem(asOperator("POST", "/api/ops/dead-letters/retry-all?processor=nope"), 404);
        assertProblem(asOperator("GET", "/api/ops/dead-letters?processor=nope"), 404);
    }

    @Test
    void eachDomainHasAHealthGroupAndPrometheusExposesOperatorMetrics() {
        // the customer domain's only processor has caught up and holds no dead letters: the domain is UP
        awaitCaughtUp("customers");
        Http.Response customerHealth = http.get("/actuator/health/customer");
        assertThat(customerHealth.status()).as(customerHealth.toString()).isEqualTo(200);
        assertThat(customerHealth.json().get("status").asText()).isEqualTo("UP");
        assertThat(customerHealth.json().at("/components/domains/components/customer/status").asText()).isEqualTo("UP");
        assertThat(customerHealth.json().get("components").get("domains").get("components").has("customer")).isTrue();
        assertThat(customerHealth.json().get("components").get("domains").get("components").has("catalog")).isFalse();
        assertThat(http.get("/actuator/health/notification").json().get("components").has("notifications")).isTrue();

        Http.Response prometheus = asOperator("GET", "/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("orderly_processor_lag_events{", "orderly_dead_letters{",
                "orderly_replay_progress_percent{", "orderly_domain_rows{", "orderly_sagas_failing_processors",
                "table=\"customers\"", "processor=\"" + POISON_GROUP + "\"");
    }

    @Test
    void operatorEndpointsNeedAnOperatorsBearerTokenAndStaffOrCustomerTokensAreForbidden() {
        String wrong = "Bearer not-a-valid-token";
        String unknownLetter = "/api/ops/dead-letters/" + UUID.randomUUID();
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/api/ops/processors"},
                new String[] {"GET", "/api/ops/processors/customers"},
                new String[] {"POST", "/api/ops/processors/notification-contacts/replay"},
                new String[] {"GET", "/api/ops/replays"},
                new String[] {"POST", "/api/ops/processors/payments/rebuild"},
                new String[] {"GET", "/api/ops/rebuilds"},
                new String[] {"GET", "/api/ops/dead-letters"},
                new String[] {"POST", unknownLetter + "/retry"},
                new String[] {"POST", "/api/ops/dead-letters/retry-all?processor=customers"},
                new String[] {"DELETE", unknownLetter},
                new String[] {"GET", "/api/ops/sagas/failing-processors"},
                new String[] {"GET", "/api/ops/sagas/past-deadline"},
                new String[] {"GET", "/actuator/prometheus"},
                new String[] {"GET", "/actuator/metrics"});
        Http staff = identities.staff();
        Http customer = identities.customer("Curious").http();
        for (String[] endpoint : endpoints) {
            String what = endpoint[0] + " " + endpoint[1];
            Http.Response anonymous = http.request(endpoint[0], endpoint[1], null);
            assertThat(anonymous.status()).as("anonymous " + what).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).as(what).startsWith("Bearer");
            assertThat(anonymous.header("Content-Type")).as(what).startsWith("application/problem+json");
            assertThat(http.request(endpoint[0], endpoint[1], null, "Authorization", wrong).status())
                    .as("invalid token " + what).isEqualTo(401);
            Http.Response asStaff = staff.request(endpoint[0], endpoint[1], null);
            assertThat(asStaff.status()).as("staff " + what).isEqualTo(403);
            assertThat(asStaff.header("Content-Type")).as(what).startsWith("application/problem+json");
            assertThat(customer.request(endpoint[0], endpoint[1], null).status()).as("customer " + what).isEqualTo(403);
            int expected = endpoint[1].startsWith(unknownLetter) ? 404
                    : endpoint[1].endsWith("/replay") || endpoint[1].endsWith("/rebuild") ? 202 : 200;
            assertThat(asOperator(endpoint[0], endpoint[1]).status()).as("operator " + what).isEqualTo(expected);
        }
        String replay = asOperator("GET", "/api/ops/replays").json().get("items").get(0).get("replayId").asText();
        assertThat(http.get("/api/ops/replays/" + replay).status()).isEqualTo(401);
        assertThat(staff.get("/api/ops/replays/" + replay).status()).isEqualTo(403);
        assertThat(asOperator("GET", "/api/ops/replays/" + replay).status()).isEqualTo(200);
        String rebuild = asOperator("GET", "/api/ops/rebuilds").json().get("items").get(0).get("rebuildId").asText();
        assertThat(http.get("/api/ops/rebuilds/" + rebuild).status()).isEqualTo(401);
        assertThat(customer.get("/api/ops/rebuilds/" + rebuild).status()).isEqualTo(403);
        assertThat(asOperator("GET", "/api/ops/rebuilds/" + rebuild).status()).isEqualTo(200);
        // the dashboard is a browser page: without its session it sends the browser to sign in, whatever token
        for (String page : List.of("/ops", "/ops/index.html")) {
            for (Http caller : List.of(http, staff, customer, identities.operator())) {
                Http.Response answer = caller.get(page);
                assertThat(answer.status()).as(page).isEqualTo(302);
                assertThat(answer.header("Location")).as(page).endsWith("/oauth2/authorization/orderly");
            }
        }

        assertThat(http.get("/actuator/health").status()).isNotEqualTo(401);
        assertThat(http.get("/actuator/health/customer").status()).isNotEqualTo(401);
        assertThat(http.get("/api/products").status()).as("the catalog is public").isEqualTo(200);
        assertThat(http.get("/api/products", "Authorization", wrong).status()).isEqualTo(401);
        Http.Response businessData = http.get("/api/customers");
        assertThat(businessData.status()).isEqualTo(401);
        assertThat(businessData.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(asOperator("GET", "/api/customers").status()).as("operators see no business data").isEqualTo(403);
        assertThat(staff.get("/api/customers").status()).isEqualTo(200);
    }

    private Http.Response asOperator(String method, String path) {
        return http.request(method, path, null, "Authorization", operator);
    }

    private void awaitCaughtUp(String processor) {
        Awaits.awaitCaughtUp(identities.operator(), processor);
    }

    private JsonNode letterOf(String customerId) {
        JsonNode items = asOperator("GET", "/api/ops/dead-letters?processor=" + POISON_GROUP + "&limit=100")
                .json().get("items");
        for (JsonNode item : items) {
            if (item.get("sequenceIdentifier").asText().equals(customerId)) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode processor(Http.Response list, String name) {
        for (JsonNode p : list.json().get("items")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("No processor " + name + " in " + list);
    }

    private String register(String name) {
        Identities.SignedUp signedUp = Identities.signUp(http, name);
        emails.put(signedUp.id(), signedUp.email());
        return signedUp.id();
    }

    /** Calls as a customer this test signed up. */
    private Http asCustomer(String customerId) {
        return http.as(identities.token(emails.get(customerId), Identities.CUSTOMER_PASSWORD));
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
}
