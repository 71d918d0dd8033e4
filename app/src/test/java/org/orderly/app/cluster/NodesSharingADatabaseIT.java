package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.saga.SagaScopeDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NodesOnOneDatabase;
import org.orderly.config.cluster.ClusterNode;
import org.orderly.config.cluster.ClusterNodes;
import org.orderly.config.cluster.NodeRole;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.RetentionTask;
import org.orderly.query.notification.NotificationSender;
import org.orderly.query.notification.OutgoingNotification;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several nodes on one database, as two application contexts in this JVM: node A lives for the whole class, each
 * test joins another node to it. Every projection starts with two segments (a cluster's setting), so that two
 * nodes can share each; saga processors have their four.
 */
class NodesSharingADatabaseIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodesSharingADatabaseIT.class);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration RETENTION_INTERVAL = Duration.ofSeconds(1);
    /** Every run of the probe retention task, on any node: which node and when. */
    static final List<Run> PROBE_RUNS = new CopyOnWriteArrayList<>();
    /** Every send of a notification, by recipient: the nodes that sent it. */
    static final Map<String, List<String>> SENDS = new ConcurrentHashMap<>();

    record Run(String node, Instant at) {
    }

    private static ConfigurableApplicationContext nodeA;

    @BeforeAll
    static void startNodeA() {
        Map<String, Object> properties = new HashMap<>(OrderlyTestDatabase.properties());
        properties.put("orderly.node-id", "node-a");
        nodeA = start(properties);
    }

    @AfterAll
    static void stopNodeA() {
        if (nodeA != null) {
            nodeA.close();
        }
    }

    @BeforeEach
    void nodeAIsAlone() {
        await().atMost(WAIT).until(() -> registry(nodeA).live().stream().map(ClusterNode::nodeId).toList(),
                nodes -> nodes.equals(List.of("node-a")));
    }

    @Test
    void twoLiveNodesShareEachProcessorsSegmentsFairlyAndTheSurvivorTakesAllWhenOneStops() {
        try (ConfigurableApplicationContext nodeB = start(secondNode("node-b"))) {
            await().atMost(WAIT).until(() -> registry(nodeA).live().stream().map(ClusterNode::nodeId).toList(),
                    nodes -> nodes.equals(List.of("node-a", "node-b")));
            ClusterNode b = registry(nodeA).live().get(1);
            assertThat(b.role()).isEqualTo(NodeRole.ALL_IN_ONE);
            assertThat(b.processors()).contains("products", "OrderFulfilmentSagaProcessor");
            assertThat(b.lastHeartbeat()).isAfterOrEqualTo(b.startedAt());

            await().atMost(WAIT).untilAsserted(() -> {
                Map<String, Map<String, Integer>> owners = segmentsByOwner();
                assertThat(owners.get("catalog.products")).isEqualTo(Map.of("node-a", 1, "node-b", 1));
                assertThat(owners.get("sagas.OrderFulfilmentSagaProcessor")).isEqualTo(Map.of("node-a", 2, "node-b", 2));
                // every processor of every domain: each node holds its fair share, ceil(segments / 2)
                owners.forEach((processor, held) -> assertThat(held).as(processor).containsOnlyKeys("node-a", "node-b"));
                assertThat(nodeA.getBean(MeterRegistry.class).get("orderly.cluster.nodes").gauge().value())
                        .isEqualTo(2.0);
            });
            assertThat(registry(nodeA).segmentsByNode().get("node-b").get("products")).hasSize(1);
        }
        // Node B stopped: it left the registry and released its claims, and node A takes every segment.
        assertThat(registry(nodeA).live().stream().map(ClusterNode::nodeId).toList()).containsExactly("node-a");
        await().atMost(WAIT).untilAsserted(() -> segmentsByOwner().forEach((processor, held) ->
                assertThat(held).as(processor).containsOnlyKeys("node-a")));
    }

    @Test
    void aNodeKilledWithoutReleasingItsClaimsHasAllItsSegmentsTakenWithinFifteenSeconds() throws SQLException {
        ConfigurableApplicationContext nodeC = start(secondNode("node-c"));
        try {
            await().atMost(WAIT).untilAsserted(() -> segmentsByOwner().forEach((processor, held) ->
                    assertThat(held).as(processor).containsOnlyKeys("node-a", "node-c")));

            // As kill -9 leaves them: node C's claims stay in the token tables, its registry row stays behind.
            Instant killed = Instant.now();
            cutOffFromTheDatabase(nodeC);
            assertThat(segmentsByOwner().values().stream().anyMatch(held -> held.containsKey("node-c"))).isTrue();

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    segmentsByOwner().forEach((processor, held) ->
                            assertThat(held).as(processor).containsOnlyKeys("node-a")));
            Duration takeover = Duration.between(killed, Instant.now());
            System.out.println("NodesSharingADatabaseIT: node A owned every segment " + takeover.toMillis()
                    + " ms after node C was cut off (claim timeout 10 s, liveness 6 s, claim interval 1 s)");
            assertThat(registry(nodeA).live().stream().map(ClusterNode::nodeId).toList()).containsExactly("node-a");
        } finally {
            nodeC.close();
        }
    }

    @Test
    void retentionRunsOncePerIntervalAcrossTwoNodes() {
        try (ConfigurableApplicationContext nodeD = start(secondNode("node-d"))) {
            await().atMost(WAIT).until(() -> registry(nodeA).live().size() == 2);
            PROBE_RUNS.clear();
            await().atMost(WAIT).until(() -> PROBE_RUNS.size() >= 6);
            List<Run> runs = List.copyOf(PROBE_RUNS);
            // Two nodes each on a one-second timer: run alone, they would run twice a second.
            for (int i = 1; i < runs.size(); i++) {
                assertThat(Duration.between(runs.get(i - 1).at(), runs.get(i).at()))
                        .as("between run %d and %d of %s", i - 1, i, runs)
                        .isGreaterThan(RETENTION_INTERVAL.multipliedBy(7).dividedBy(10));
            }
        }
    }

    @Test
    void eachNotificationIsSentOnceWhileTwoNodesDispatch() {
        try (ConfigurableApplicationContext nodeE = start(secondNode("node-e"))) {
            List<String> recipients = new ArrayList<>();
            List<Http> nodes = List.of(http(nodeA), http(nodeE));
            for (int i = 0; i < 24; i++) {
                String email = "cluster-" + UUID.randomUUID() + "@example.com";
                recipients.add(email);
                Http.Response created = nodes.get(i % 2).anonymous().post("/api/customers", "{\"email\": \"" + email
                        + "\", \"name\": \"Clustered\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
            }
            await().atMost(WAIT).until(() -> recipients.stream().allMatch(SENDS::containsKey));
            // Long enough for a second dispatcher to send one again, had it not skipped the locked rows.
            JdbcTemplate notifications = nodeA.getBean(DomainStores.class).get("notification").jdbc();
            await().atMost(WAIT).until(() -> notifications.queryForObject(
                    "SELECT count(*) FROM notifications WHERE status = 'PENDING'", Long.class) == 0);
            Map<String, List<String>> sends = new LinkedHashMap<>();
            recipients.forEach(r -> sends.put(r, SENDS.get(r)));
            assertThat(sends.values()).as("the nodes that sent each welcome").allSatisfy(by -> assertThat(by).hasSize(1));
            // Which node sends which is up to the polls' timing (usually both send some): not asserted.
            log.info("Welcome notifications sent by node: {}", sends.values().stream()
                    .collect(Collectors.groupingBy(by -> by.get(0), Collectors.counting())));
        }
    }

    @Test
    void eachDeadlineFiresOnceWhileTwoNodesPollForThem() {
        try (ConfigurableApplicationContext nodeF = start(secondNode("node-f"))) {
            Map<String, List<String>> fired = new ConcurrentHashMap<>();
            for (ConfigurableApplicationContext node : List.of(nodeA, nodeF)) {
                String name = node.getBean(DomainStores.class).nodeId();
                // Runs for every execution db-scheduler hands this node, before the deadline goes to its scope.
                node.getBean(DeadlineManager.class).registerHandlerInterceptor((unitOfWork, chain) -> {
                    Object payload = unitOfWork.getMessage().getPayload();
                    if (payload instanceof String probe && probe.startsWith("cluster-probe-")) {
                        fired.computeIfAbsent(probe, p -> new CopyOnWriteArrayList<>()).add(name);
                    }
                    return chain.proceed();
                });
            }
            DeadlineManager deadlines = nodeA.getBean(DeadlineManager.class);
            Instant due = Instant.now().plusSeconds(2);
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String probe = "cluster-probe-" + i;
                probes.add(probe);
                // a saga that does not exist: the deadline fires, and finds no one to handle it
                deadlines.schedule(due, "cluster-probe", probe, new SagaScopeDescriptor("ClusterProbeSaga", probe));
            }
            await().atMost(WAIT).until(() -> fired.keySet().containsAll(probes));
            JdbcTemplate sagas = nodeA.getBean(DomainStores.class).get("sagas").jdbc();
            // Every execution due by then finished and gone: a second pick of one would have run by now.
            await().atMost(WAIT).until(() -> sagas.queryForObject(
                    "SELECT count(*) FROM scheduled_tasks WHERE execution_time <= ?", Long.class,
                    java.sql.Timestamp.from(due)) == 0);
            assertThat(fired.values()).as("the nodes each deadline fired on").allSatisfy(by -> assertThat(by).hasSize(1));
            // Which node fires which is up to the polls' timing (usually both fire some): not asserted.
            log.info("Deadlines fired by node: {}", fired.values().stream()
                    .collect(Collectors.groupingBy(by -> by.get(0), Collectors.counting())));
        }
    }

    /** Who holds each segment of each processor of each domain ({@code domain.processor}), counted by node. */
    private static Map<String, Map<String, Integer>> segmentsByOwner() {
        Map<String, Map<String, Integer>> owners = new LinkedHashMap<>();
        for (DomainStore store : nodeA.getBean(DomainStores.class).all()) {
            if (store.processingGroups().isEmpty() && store.sagaProcessingGroups().isEmpty()) {
                continue;
            }
            store.jdbc().query("SELECT processor_name, owner FROM token_entry", rs -> {
                owners.computeIfAbsent(store.name() + "." + rs.getString(1), p -> new LinkedHashMap<>())
                        .merge(String.valueOf(rs.getString(2)), 1, Integer::sum);
            });
        }
        return owners;
    }

    /**
     * Closes every pool of the node at once, aborting what runs on them: its processors can no longer release their
     * claims nor renew them, its heartbeat stops, as when its process is killed.
     */
    private static void cutOffFromTheDatabase(ConfigurableApplicationContext node) throws SQLException {
        List<HikariDataSource> pools = new ArrayList<>();
        for (DomainStore store : node.getBean(DomainStores.class).all()) {
            pools.add((HikariDataSource) store.dataSource());
        }
        pools.add(node.getBean(JdbcTemplate.class).getDataSource().unwrap(HikariDataSource.class));
        pools.forEach(HikariDataSource::close);
    }

    private static ClusterNodes registry(ConfigurableApplicationContext node) {
        return node.getBean(ClusterNodes.class);
    }

    /** Another node on node A's database, reached as an external one with the roles node A provisioned. */
    private static Map<String, Object> secondNode(String nodeId) {
        return NodesOnOneDatabase.anotherNode(nodeA, nodeId);
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        Map<String, Object> cluster = new HashMap<>(properties);
        cluster.put("orderly.processors.initial-segments", "2");
        cluster.put("orderly.processors.catch-up-segments", "2");
        cluster.put("orderly.retention.interval", RETENTION_INTERVAL.toMillis() + "ms");
        cluster.put("orderly.retention.initial-delay", "0s");
        cluster.put("orderly.notifications.poll-interval", "50ms");
        cluster.put("orderly.notifications.batch-size", "2");
        // Command-line arguments: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(OrderlyApplication.class, Probes.class)
                .properties(cluster)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort()).operator();
    }

    /** What the tests watch on every node: a retention task that only notes its runs, and a notification sender. */
    @Configuration(proxyBeanMethods = false)
    static class Probes {

        @Bean
        RetentionTask clusterProbeRetention(Environment environment) {
            String node = environment.getProperty("orderly.node-id");
            return RetentionTask.of("cluster-probe", Optional.of(Duration.ofDays(1)), (cutoff, batchSize) -> {
                PROBE_RUNS.add(new Run(node, Instant.now()));
                return 0;
            });
        }

        @Bean
        NotificationSender countingSender(Environment environment) {
            String node = environment.getProperty("orderly.node-id");
            return new NotificationSender() {
                @Override
                public void send(OutgoingNotification notification) {
                    SENDS.computeIfAbsent(notification.recipient(), r -> new CopyOnWriteArrayList<>()).add(node);
                    try {
                        // a send takes a moment, as a real one does: the other node's dispatcher polls meanwhile
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
