package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operator tools across the life of more than one application context on one database: dead letters that
 * outlive a restart, and a real second node whose claims make replays and rebuilds refuse.
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
    void aSecondNodeHoldingAProcessorsClaimsMakesReplayAndRebuildRefuseNamingIt() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        database.put("orderly.node-id", "node-a");
        try (ConfigurableApplicationContext nodeA = start(database)) {
            Http http = http(nodeA);
            StreamingEventProcessor products = nodeA.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("products", StreamingEventProcessor.class).orElseThrow();
            products.shutDown();
            JdbcTemplate catalog = nodeA.getBean(DomainStores.class).get("catalog").jdbc();
            JdbcTemplate main = nodeA.getBean(JdbcTemplate.class);

            try (ConfigurableApplicationContext nodeB = start(secondNode(nodeA))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> catalog.queryForList(
                        "SELECT owner FROM token_entry WHERE processor_name = 'products'", String.class)
                        .stream().anyMatch("node-b"::equals));
                long replays = main.queryForObject("SELECT count(*) FROM ops.replay", Long.class);
                long rebuilds = main.queryForObject("SELECT count(*) FROM ops.rebuild", Long.class);

                Http.Response replay = asOperator(http, "POST", "/api/ops/processors/products/replay");
                Http.Response rebuild = asOperator(http, "POST", "/api/ops/processors/products/rebuild");

                assertProblem(replay, 409);
                assertThat(replay.json().get("detail").asText()).contains("node-b");
                assertProblem(rebuild, 409);
                assertThat(rebuild.json().get("detail").asText()).contains("node-b");
                assertThat(main.queryForObject("SELECT count(*) FROM ops.replay", Long.class)).isEqualTo(replays);
                assertThat(main.queryForObject("SELECT count(*) FROM ops.rebuild", Long.class)).isEqualTo(rebuilds);
                assertThat(nodeB.getBean(DomainStores.class).nodeId()).isEqualTo("node-b");
            }
            // Node B released its claims as it stopped: node A may replay again.
            products.start();
            Http.Response replay = asOperator(http, "POST", "/api/ops/processors/products/replay");
            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            assertThat(replay.json().get("node").asText()).isEqualTo("node-a");
        }
    }

    /** Node B: the same database, reached as an external one with the roles node A provisioned. */
    static Map<String, Object> secondNode(ConfigurableApplicationContext nodeA) {
        OrderlyDatabase db = nodeA.getBean(OrderlyDatabase.class);
        Map<String, Object> props = new HashMap<>();
        props.put("orderly.node-id", "node-b");
        props.put("orderly.database.url", db.url());
        props.put("orderly.database.username", db.username());
        props.put("orderly.database.password", db.password());
        props.put("orderly.database.owner-username", db.ownerUsername());
        props.put("orderly.database.owner-password", db.ownerPassword());
        props.put("orderly.database.manage-roles", "false");
        props.put("orderly.database.embedded.data-directory", OrderlyTestDatabase.freshDirectory().toString());
        for (DomainStore store : nodeA.getBean(DomainStores.class).all()) {
            props.put("orderly.domains." + store.name() + ".password",
                    ((HikariDataSource) store.dataSource()).getPassword());
        }
        return props;
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
        Http.Response created = http.anonymous().post("/api/customers", "{\"email\": \"nodes-" + UUID.randomUUID()
                + "@example.com\", \"name\": \"" + name + "\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("customerId").asText();
    }
}
