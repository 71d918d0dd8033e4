package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.NodesOnOneDatabase;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operator tools across the life of more than one application context on one database: dead letters that
 * outlive a restart, and a real second node that releases a processor while another node replays or rebuilds it.
 */
class OperatorsAcrossNodesIT {

    @AfterEach
    void healTheProjection() {
        OperatorsIT.broken = true;
    }

    @Test
    void deadLettersSurviveARestartAndCanBeRetriedAfterIt() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        OperatorsIT.broken = true;
        String poisoned;
        String letterId;
        try (ConfigurableApplicationContext first = startWithPoison(OrderlyTestDatabase.keptOnStop(database))) {
            Http http = http(first);
            poisoned = register(http, OperatorsIT.POISON + " " + UUID.randomUUID());
            JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> letterOf(http, poisoned), l -> l != null);
            letterId = letter.get("id").asText();
        }

        try (ConfigurableApplicationContext second = startWithPoison(database)) {
            Http http = http(second);
            JsonNode letter = letterOf(http, poisoned);
            assertThat(letter).as("the dead letter after the restart").isNotNull();
            assertThat(letter.get("id").asText()).isEqualTo(letterId);
            assertThat(letter.get("causeMessage").asText()).contains("null value");

            Http.Response stillBroken = asOperator(http, "POST", "/api/ops/dead-letters/" + letterId + "/retry");
            assertThat(stillBroken.status()).as(stillBroken.toString()).isEqualTo(200);
            assertThat(stillBroken.json().get("drained").asBoolean()).isFalse();

            OperatorsIT.broken = false;
            Http.Response fixed = asOperator(http, "POST", "/api/ops/dead-letters/" + letterId + "/retry");
            assertThat(fixed.json().get("drained").asBoolean()).as(fixed.toString()).isTrue();
            assertThat(letterOf(http, poisoned)).isNull();
            assertThat(second.getBean(DomainStores.class).get("poison").jdbc().queryForObject(
                    "SELECT count(*) FROM seen_customers WHERE customer_id = ?", Integer.class,
                    UUID.fromString(poisoned))).isOne();
        }
    }

    @Test
    void aReplayAndARebuildAskedOfOneNodeProceedOnceTheOtherNodeReleasesTheProcessorWhichItRunsAgainAfterwards()
            throws Exception {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        database.put("orderly.node-id", "node-a");
        database.put("orderly.ops.release-timeout", "4s");
        try (ConfigurableApplicationContext nodeA = start(database)) {
            Http http = http(nodeA);
            Http staff = new Identities(((WebServerApplicationContext) nodeA).getWebServer().getPort()).staff();
            for (int i = 0; i < 5; i++) {
                Http.Response added = staff.post("/api/products", "{\"sku\": \"NODES-" + UUID.randomUUID()
                        + "\", \"name\": \"Mug " + i + "\", \"price\": {\"amount\": \"12.50\", \"currency\": \"EUR\"}, "
                        + "\"weightGrams\": 350}");
                assertThat(added.status()).as(added.toString()).isEqualTo(201);
            }
            StreamingEventProcessor productsOnA = processor(nodeA, "products");
            JdbcTemplate catalog = nodeA.getBean(DomainStores.class).get("catalog").jdbc();
            JdbcTemplate main = nodeA.getBean(JdbcTemplate.class);
            Awaits.awaitCaughtUp(http, "products");
            List<Map<String, Object>> before = catalog.queryForList("SELECT * FROM products ORDER BY product_id");
            assertThat(before).hasSizeGreaterThanOrEqualTo(5);

            try (ConfigurableApplicationContext nodeB = start(NodesOnOneDatabase.anotherNode(nodeA, "node-b"))) {
                StreamingEventProcessor productsOnB = processor(nodeB, "products");
                handOver(productsOnA, catalog, "node-b");
                // Either node shows the cluster as the token tables have it: B claims the products segment.
                JsonNode cluster = asOperator(http, "GET", "/api/ops/cluster").json();
                assertThat(cluster.get("node").asText()).isEqualTo("node-a");
                JsonNode b = null;
                for (JsonNode node : cluster.get("nodes")) {
                    if (node.get("node").asText().equals("node-b")) {
                        b = node;
                    }
                }
                assertThat(b).as(cluster.toString()).isNotNull();
                assertThat(b.get("self").asBoolean()).isFalse();
                assertThat(b.get("processors").toString()).contains("{\"processor\":\"products\",\"segments\":[0]}");

                // A replay asked of node A: node B stops its instance, A resets, and B starts again.
                Http.Response replay = asOperator(http, "POST", "/api/ops/processors/products/replay");
                assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
                assertThat(replay.json().get("node").asText()).isEqualTo("node-a");
                assertThat(texts(replay.json().get("releasedBy"))).containsExactly("node-b");
                assertThat(texts(replay.json().get("waitingFor"))).isEmpty();
                String replayId = replay.json().get("replayId").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> asOperator(http, "GET", "/api/ops/replays/" + replayId)
                        .json().get("outcome").asText(), "COMPLETED"::equals);
                assertThat(catalog.queryForList("SELECT * FROM products ORDER BY product_id")).isEqualTo(before);
                await().atMost(Duration.ofSeconds(10)).until(productsOnB::isRunning);
                assertThat(owners(catalog)).as("node A claimed the reset segment; B's instance runs idle")
                        .containsOnly("node-a");

                // A rebuild asked of node A: node B keeps its instance stopped until the rebuilt schema is live.
                handOver(productsOnA, catalog, "node-b");
                Http.Response rebuild = asOperator(http, "POST", "/api/ops/processors/products/rebuild");
                assertThat(rebuild.status()).as(rebuild.toString()).isEqualTo(202);
                assertThat(texts(rebuild.json().get("releasedBy"))).containsExactly("node-b");
                String rebuildId = rebuild.json().get("rebuildId").asText();
                assertThat(productsOnB.isRunning()).as("node B's instance while the rebuild runs").isFalse();
                assertThat(main.queryForList("SELECT node FROM ops.processor_hold WHERE processor_name = 'products'",
                        String.class)).containsExactly("node-a");
                await().atMost(Duration.ofSeconds(60)).until(() -> asOperator(http, "GET", "/api/ops/rebuilds/" + rebuildId)
                        .json().get("outcome").asText(), outcome -> !"RUNNING".equals(outcome));
                JsonNode rebuilt = asOperator(http, "GET", "/api/ops/rebuilds/" + rebuildId).json();
                assertThat(rebuilt.get("outcome").asText()).as(rebuilt.toString()).isEqualTo("COMPLETED");
                await().atMost(Duration.ofSeconds(10)).until(productsOnB::isRunning);
                assertThat(main.queryForObject("SELECT count(*) FROM ops.processor_hold", Long.class)).isZero();
                assertThat(catalog.queryForList("SELECT * FROM products ORDER BY product_id")).isEqualTo(before);

                // A node that keeps claiming (hung, or too old to watch holds) fails the replay, named; nothing
                // is reset and node B runs the processor again.
                productsOnA.shutDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> owners(catalog).isEmpty()
                        || owners(catalog).contains("node-b"));
                productsOnB.shutDown();
                long replays = main.queryForObject("SELECT count(*) FROM ops.replay WHERE outcome = 'COMPLETED'", Long.class);
                try (HungNode hung = new HungNode(catalog, "node-c")) {
                    java.util.concurrent.CompletableFuture<Http.Response> asked = java.util.concurrent.CompletableFuture
                            .supplyAsync(() -> asOperator(http, "POST", "/api/ops/processors/products/replay"));
                    // While the request waits, the replay is listed as waiting for the node that holds on.
                    JsonNode waiting = await().atMost(Duration.ofSeconds(4)).until(() -> asOperator(http, "GET",
                            "/api/ops/replays?limit=1").json().get("items").get(0),
                            r -> "RUNNING".equals(r.get("outcome").asText()) && texts(r.get("waitingFor")).contains("node-c"));
                    assertThat(waiting.get("processor").asText()).isEqualTo("products");
                    Http.Response refused = asked.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    assertProblem(refused, 409);
                    assertThat(refused.json().get("detail").asText()).contains("node-c").contains("did not release");
                    assertThat(hung.claims()).as("the hung node's claim was never taken").isPositive();
                }
                assertThat(main.queryForObject("SELECT count(*) FROM ops.replay WHERE outcome = 'COMPLETED'", Long.class))
                        .isEqualTo(replays);
                assertThat(main.queryForObject("SELECT detail FROM ops.replay ORDER BY started_at DESC LIMIT 1",
                        String.class)).contains("node-c");
                assertThat(main.queryForObject("SELECT count(*) FROM ops.processor_hold", Long.class)).isZero();
                productsOnA.start();
                productsOnB.start();
                assertThat(catalog.queryForList("SELECT * FROM products ORDER BY product_id")).isEqualTo(before);
            }
        }
    }

    /** Stops node A's instance so that the other node claims the segment, then starts A's again (idle). */
    private static void handOver(StreamingEventProcessor onA, JdbcTemplate catalog, String to) {
        onA.shutDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> owners(catalog).contains(to));
        onA.start();
    }

    private static List<String> owners(JdbcTemplate catalog) {
        return catalog.queryForList("SELECT owner FROM token_entry WHERE processor_name = 'products' "
                + "AND owner IS NOT NULL", String.class);
    }

    private static StreamingEventProcessor processor(ConfigurableApplicationContext node, String name) {
        return node.getBean(EventProcessingConfiguration.class).eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /**
     * A node that claims every segment of {@code products} and keeps its claims fresh, as Axon does, but never
     * looks at holds: what a hung node (or one of an older version) looks like from the database.
     */
    private static final class HungNode implements AutoCloseable {
        private final JdbcTemplate catalog;
        private final String name;
        private final java.util.concurrent.ScheduledExecutorService claimer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.AtomicInteger claims = new java.util.concurrent.atomic.AtomicInteger();

        HungNode(JdbcTemplate catalog, String name) {
            this.catalog = catalog;
            this.name = name;
            claim();
            claimer.scheduleWithFixedDelay(this::claim, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private void claim() {
            // Axon's own format for a claim's time: ISO-8601 in UTC, in milliseconds.
            String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
            claims.addAndGet(catalog.update("UPDATE token_entry SET owner = ?, time_stamp = ? "
                    + "WHERE processor_name = 'products' AND (owner IS NULL OR owner = ?)", name, now, name));
        }

        int claims() {
            return claims.get();
        }

        @Override
        public void close() throws InterruptedException {
            claimer.shutdownNow();
            claimer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            catalog.update("UPDATE token_entry SET owner = NULL WHERE processor_name = 'products' AND owner = ?", name);
        }
    }


    private static ConfigurableApplicationContext startWithPoison(Map<String, Object> database) {
        return start(database, OperatorsIT.FixablePoison.class);
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties, Class<?>... extra) {
        List<Class<?>> sources = new ArrayList<>(List.of(OrderlyApplication.class));
        sources.addAll(List.of(extra));
        // Command-line arguments: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    /** Calls this node as the operator, with a token from its own issuer. */
    private static Http http(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort()).operator();
    }

    private static Http.Response asOperator(Http http, String method, String path) {
        return http.request(method, path, null);
    }

    private static JsonNode letterOf(Http http, String customerId) {
        JsonNode items = asOperator(http, "GET", "/api/ops/dead-letters?processor=" + OperatorsIT.POISON_GROUP
                + "&limit=100").json().get("items");
        for (JsonNode item : items) {
            if (item.get("sequenceIdentifier").asText().equals(customerId)) {
                return item;
            }
        }
        return null;
    }

    /** Signs up a customer, without a token. */
    private static String register(Http http, String name) {
        return Identities.signUp(http, name).id();
    }
}
