package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.orderly.testsupport.ClusterNodeProcess;
import org.orderly.app.support.Http;
import org.orderly.app.support.KeycloakServer;
import org.orderly.app.support.Shop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The split deployables as a cluster, with real processes: one PostgreSQL (prepared by the administrator script of
 * the README), a real Keycloak, two command-side and two query-side JVMs started from the built jars and configured
 * by environment only. Mixed load goes through a round-robin client (writes to the command nodes, reads to the
 * query nodes), and one node of each kind is killed with {@code kill -9} mid-load. Then every acknowledged order is
 * visible on the surviving query node within 15 s of the kill and ends decided, the read models equal a fresh
 * replay, each notification was sent once (but for the batch the killed query node had in flight, sent again under
 * the same id: delivery is at least once), and only live nodes own segments.
 */
class ClusterIT {

    /** {@code orderly.notifications.batch-size}'s default: the most notifications one dispatcher transaction sends. */
    private static final int NOTIFICATION_BATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);
    private static final Path ADMIN_SCRIPT = Path.of("..", "docker", "postgres", "init", "01-orderly-roles.sql");
    private static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("orderly.cluster.loadSeconds", 24));
    private static final Duration KILL_AFTER = Duration.ofSeconds(8);
    private static final int CLIENTS = 4;
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    private static final Pattern SENT = Pattern.compile("Notification (\\w+) ([0-9a-f-]{36}) to customer");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(600);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private record Acknowledged(String orderId, long atNanos) {
    }

    @Test
    void aClusterLosesNoAcknowledgedOrderAndResendsOnlyTheKilledNodesBatchInFlightWhenACommandAndAQueryNodeAreKilled()
            throws Exception {
        Path work = Files.createTempDirectory("orderly-cluster-");
        List<ClusterNodeProcess> nodes = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                // four nodes, each with a pool per domain: more than the default hundred connections
                .setServerConfig("max_connections", "300").start()) {
            JdbcTemplate superuser = new JdbcTemplate(postgres.getPostgresDatabase());
            superuser.execute(Files.readString(ADMIN_SCRIPT));
            KeycloakServer keycloak = KeycloakServer.shared();
            Map<String, String> environment = new HashMap<>(ClusterNodeProcess.environment(postgres.getPort(),
                    keycloak.issuer(), ADMIN_SCRIPT));
            environment.put("LOGGING_LEVEL_ORG_ORDERLY", "INFO"); // the notifications' send lines, counted below

            long startBegin = System.nanoTime();
            List<ClusterNodeProcess> commandNodes = new ArrayList<>();
            List<ClusterNodeProcess> queryNodes = new ArrayList<>();
            for (String id : List.of("command-1", "command-2")) {
                commandNodes.add(node(id, "orderly.commandside.jar", work, environment));
                nodes.add(commandNodes.get(commandNodes.size() - 1)); // stopped at the end, whatever fails later
            }
            for (String id : List.of("query-1", "query-2")) {
                queryNodes.add(node(id, "orderly.queryside.jar", work, environment));
                nodes.add(queryNodes.get(queryNodes.size() - 1));
            }
            nodes.forEach(node -> node.awaitReady(START_TIMEOUT));
            log.info("Cluster of {} nodes ready in {} ms (logs in {})", nodes.size(),
                    Duration.ofNanos(System.nanoTime() - startBegin).toMillis(), work);

            // The shop: staff adds products and stock, two customers sign up with their Keycloak identities.
            String staff = keycloak.token("sam");
            RoundRobin writes = new RoundRobin(commandNodes);
            RoundRobin reads = new RoundRobin(queryNodes);
            List<String> products = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Http.Response added = writes.next().as(staff).post("/api/products", "{\"sku\": \"CL-" + i + "-"
                        + System.nanoTime() + "\", \"name\": \"Cluster product " + i
                        + "\", \"price\": {\"amount\": \"3.00\", \"currency\": \"EUR\"}, \"weightGrams\": 100}");
                assertThat(added.status()).as(added.toString()).isEqualTo(201);
                products.add(added.json().get("productId").asText());
            }
            for (String product : products) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> writes.next()
                        .as(staff).post("/api/inventory/" + product + "/receipts", "{\"quantity\": 100000}").status() == 204);
            }
            Map<String, String> customers = new LinkedHashMap<>();
            for (String person : List.of("alice", "bob")) {
                String token = keycloak.token(person);
                Http.Response signedUp = writes.next().as(token).post("/api/customers",
                        "{\"email\": \"" + person + "@example.com\", \"name\": \"" + person + "\"}");
                assertThat(signedUp.status()).as(signedUp.toString()).isIn(201, 409);
                customers.put(signedUp.status() == 201 ? signedUp.json().get("customerId").asText()
                        : subjectOf(token), token);
            }

            // Segments are balanced: every node of each kind works on a share of its kind's processors.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(segmentOwners(superuser)).as("nodes owning segments").containsAll(
                            nodes.stream().map(ClusterNodeProcess::id).toList()));
            Map<String, Integer> segmentsPerNode = segmentsPerNode(superuser);
            log.info("Segments per node before the kill: {}", segmentsPerNode);

            // Mixed load through both command nodes and both query nodes; one of each dies with -9 mid-load.
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger unreachable = new AtomicInteger();
            ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
            AtomicLong killedAt = new AtomicLong();
            long loadEnd = System.nanoTime() + LOAD.toNanos();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<String> customerIds = List.copyOf(customers.keySet());
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < loadEnd) {
                        try {
                            Http.Response answer;
                            if (random.nextInt(10) < 7) {
                                String customer = customerIds.get(random.nextInt(customerIds.size()));
                                answer = writes.next().as(customers.get(customer)).post("/api/orders",
                                        "{\"customerId\": \"" + customer + "\", \"lines\": [" + Shop.line(
                                                products.get(random.nextInt(products.size())), 1) + "]}");
                                if (answer.status() == 202) {
                                    acknowledged.add(new Acknowledged(answer.json().get("orderId").asText(),
                                            System.nanoTime()));
                                }
                            } else if (random.nextBoolean()) {
                                answer = writes.next().as(staff).post("/api/inventory/"
                                        + products.get(random.nextInt(products.size())) + "/receipts", "{\"quantity\": 1}");
                            } else {
                                answer = reads.next().get("/api/products?limit=10");
                            }
                            statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                            if (answer.status() >= 500 && answer.status() != 503) {
                                serverErrors.add(answer.toString());
                            }
                        } catch (RuntimeException unreachableNode) {
                            // a killed node refuses connections: not acknowledged, as behind a proxy that routes away
                            unreachable.incrementAndGet();
                        }
                    }
                });
            }
            Thread.sleep(KILL_AFTER.toMillis());
            ClusterNodeProcess killedCommand = commandNodes.get(0);
            ClusterNodeProcess killedQuery = queryNodes.get(0);
            killedQuery.kill();
            killedCommand.kill();
            killedAt.set(System.nanoTime());
            writes.drop(killedCommand);
            reads.drop(killedQuery);
            log.info("Killed {} and {} with -9 after {} s of load", killedCommand.id(), killedQuery.id(),
                    KILL_AFTER.toSeconds());

            // Failover: every order acknowledged before the kill is readable on the surviving query node.
            ClusterNodeProcess survivor = queryNodes.get(1);
            Http staffOnSurvivor = new Http(survivor.port()).as(staff);
            Set<String> beforeKill = acknowledged.stream().filter(a -> a.atNanos() < killedAt.get())
                    .map(Acknowledged::orderId).collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
            int acknowledgedBeforeKill = beforeKill.size();
            while (!beforeKill.isEmpty() && System.nanoTime() - killedAt.get() < Duration.ofSeconds(60).toNanos()) {
                beforeKill.removeIf(order -> staffOnSurvivor.get("/api/orders/" + order).status() == 200);
                Thread.sleep(200);
            }
            Duration visibleAfter = Duration.ofNanos(System.nanoTime() - killedAt.get());
            clients.shutdown();
            assertThat(clients.awaitTermination(LOAD.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();

            // Every acknowledged order ends decided (the sagas failed over too), readable on the survivor.
            List<String> orders = acknowledged.stream().map(Acknowledged::orderId).toList();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> orders.stream()
                    .allMatch(order -> {
                        Http.Response read = staffOnSurvivor.get("/api/orders/" + order);
                        return read.status() == 200 && !read.json().get("status").asText().equals("PENDING");
                    }));
            Map<String, Long> stored = new HashMap<>();
            superuser.query("SELECT aggregate_identifier, count(*) AS n FROM event_store.domain_event_entry "
                    + "WHERE payload_type LIKE '%OrderPlacedEvent' GROUP BY aggregate_identifier",
                    rs -> { stored.put(rs.getString(1), rs.getLong(2)); });
            assertThat(stored.keySet()).as("every acknowledged order is in the event store").containsAll(orders);

            // Only live nodes own segments, once the dead ones' claims have timed out.
            Set<String> live = nodes.stream().filter(ClusterNodeProcess::alive).map(ClusterNodeProcess::id).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(segmentOwners(superuser)).as("owners of claimed segments").isSubsetOf(live));

            // Read models equal a fresh replay of the store.
            String operator = keycloak.token("olga");
            for (String[] model : new String[][] {
                    {"orders", "SELECT order_id, customer_id, status, total_amount, version FROM orders.orders ORDER BY order_id"},
                    {"stock-levels", "SELECT product_id, on_hand, reserved, version FROM inventory.stock_levels ORDER BY product_id"}}) {
                List<Map<String, Object>> before = superuser.queryForList(model[1]);
                Http.Response replay = new Http(survivor.port()).as(operator)
                        .post("/api/ops/processors/" + model[0] + "/replay", null);
                assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
                String replayId = replay.json().get("replayId").asText();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                        new Http(survivor.port()).as(operator).get("/api/ops/replays/" + replayId).json()
                                .get("outcome").asText().equals("COMPLETED"));
                assertThat(superuser.queryForList(model[1])).as(model[0] + " after a fresh replay").isEqualTo(before);
            }

            // Each notification was sent once, by whichever query node dispatched it (the killed one's log included),
            // but for the one batch the killed node may have had in flight: the dispatcher sends a batch and records it
            // in one transaction (at least once, never lost), so a batch sent but not yet committed at the kill is sent
            // again by the survivor, under the same notification id a receiver deduplicates on.
            Map<String, Long> sends = new HashMap<>();
            Set<String> sentByKilledNode = new HashSet<>();
            for (ClusterNodeProcess node : queryNodes) {
                Matcher sent = SENT.matcher(Files.readString(node.log()));
                while (sent.find()) {
                    sends.merge(sent.group(2), 1L, Long::sum);
                    if (node == killedQuery) {
                        sentByKilledNode.add(sent.group(2));
                    }
                }
            }
            long notifications = superuser.queryForObject("SELECT count(*) FROM notification.notifications", Long.class);
            long sentRows = superuser.queryForObject(
                    "SELECT count(*) FROM notification.notifications WHERE status = 'SENT'", Long.class);
            Map<String, Long> twice = sends.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

            String report = "segments per node before the kill " + segmentsPerNode + ", orders acknowledged " + orders.size() + " (" + acknowledgedBeforeKill
                    + " before the kill), answers " + statuses + ", unreachable " + unreachable.get()
                    + ", visible on the survivor " + visibleAfter.toMillis() + " ms after the kill, notifications "
                    + notifications + " (" + sentRows + " sent, " + sends.size() + " send lines)";
            log.info("Cluster run: {}", report);
            assertThat(serverErrors).as("5xx other than 503: " + report).isEmpty();
            assertThat(beforeKill).as("orders acknowledged before the kill but not visible 60 s after it").isEmpty();
            assertThat(visibleAfter).as(report).isLessThanOrEqualTo(FAILOVER_BOUND);
            assertThat(twice.values()).as("notifications sent more than twice").allMatch(count -> count == 2);
            assertThat(twice.keySet()).as("notifications sent twice: only the killed node's batch in flight")
                    .hasSizeLessThanOrEqualTo(NOTIFICATION_BATCH).allMatch(sentByKilledNode::contains);
            assertThat(sends.size()).as("notifications sent").isPositive();
        } finally {
            nodes.forEach(ClusterNodeProcess::close);
        }
    }

    /**
     * Starts a node of the deployable whose jar the build names in the system property {@code jarProperty}, with small
     * JVM options (four nodes and Keycloak share the build machine); its log is {@code <id>.log} in {@code work}.
     */
    private static ClusterNodeProcess node(String id, String jarProperty, Path work, Map<String, String> environment) {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No jar at " + jar + " (" + jarProperty + "): run through ./mvnw verify, "
                    + "which packages it before the integration tests");
        }
        return ClusterNodeProcess.start(id, Path.of(jar), JVM_OPTIONS, List.of(), environment, work,
                work.resolve(id + ".log"));
    }

    /** How many segments each node holds, over every domain's token table. */
    private static Map<String, Integer> segmentsPerNode(JdbcTemplate superuser) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String schema : superuser.queryForList(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'token_entry'", String.class)) {
            superuser.query("SELECT owner, count(*) FROM " + schema + ".token_entry WHERE owner IS NOT NULL GROUP BY owner",
                    rs -> { counts.merge(rs.getString(1), rs.getInt(2), Integer::sum); });
        }
        return counts;
    }

    /** Every node holding a claim in any domain's token table. */
    private static Set<String> segmentOwners(JdbcTemplate superuser) {
        List<String> schemas = superuser.queryForList(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'token_entry'", String.class);
        Set<String> owners = new java.util.TreeSet<>();
        for (String schema : schemas) {
            owners.addAll(superuser.queryForList("SELECT DISTINCT owner FROM " + schema
                    + ".token_entry WHERE owner IS NOT NULL", String.class));
        }
        return owners;
    }

    private static String subjectOf(String jwt) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.util.Base64.getUrlDecoder()
                    .decode(jwt.split("\\.")[1])).get("sub").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client-side round robin over nodes, as the proxy in front of the cluster does; a dead node is dropped. */
    private static final class RoundRobin {
        private final List<ClusterNodeProcess> nodes;
        private final AtomicInteger next = new AtomicInteger();

        RoundRobin(List<ClusterNodeProcess> nodes) {
            this.nodes = new java.util.concurrent.CopyOnWriteArrayList<>(nodes);
        }

        Http next() {
            List<ClusterNodeProcess> current = nodes;
            return new Http(current.get(Math.floorMod(next.getAndIncrement(), current.size())).port());
        }

        void drop(ClusterNodeProcess node) {
            nodes.remove(node);
        }
    }
}
