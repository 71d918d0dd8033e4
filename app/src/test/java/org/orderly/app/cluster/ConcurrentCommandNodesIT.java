package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.CategoryTreeId;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.ReservationOutcome;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.order.OrderId;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NodesOnOneDatabase;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two command nodes on one database: two application contexts, each handling the commands its own REST endpoints
 * receive on its own local command bus, both appending to the one event store. Clients alternate between the nodes
 * on the same aggregates at once, so both nodes load the same version of an aggregate and append the same next
 * sequence number, which the event store's unique key refuses to the second. Every answer must be a 2xx or a 409
 * problem, never a 5xx; every acknowledged change must be in the event store and in the final state; a 409 must
 * have written nothing. Node A retries a lost conflict up to eight times (the default), node B once only, so that
 * conflicts left after the retries, and their 409s, are part of the race too.
 */
class ConcurrentCommandNodesIT {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentCommandNodesIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Both nodes sign and expect this issuer, so that a token one node issued is accepted by the other. */
    private static final String ISSUER = "http://orderly-nodes.test";
    private static final int CLIENTS = 8;
    private static final int REQUESTS_EACH = 10;

    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    /** Staff calling node A and node B with one token, the one node A issued. */
    private static Http[] staff;
    private static JdbcTemplate eventStore;
    /** Answers per scenario and status, for the report at the end. */
    private static final Map<String, Map<Integer, Integer>> statuses = new ConcurrentHashMap<>();
    /** The command conflicts both nodes met during each scenario, by outcome, for the report at the end. */
    private static final Map<String, Map<String, Double>> conflictsPerScenario = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTwoNodes() {
        Map<String, Object> a = new HashMap<>(OrderlyTestDatabase.properties());
        a.put("orderly.node-id", "node-a");
        a.put("orderly.security.embedded.issuer", ISSUER);
        nodeA = start(a);
        Map<String, Object> b = NodesOnOneDatabase.anotherNode(nodeA, "node-b");
        b.put("orderly.security.embedded.issuer", ISSUER);
        // Node B gives up after one retry, so that some conflicts are answered with 409 and the race shows those too.
        b.put("orderly.commands.conflict-retries", "1");
        nodeB = start(b);
        String token = new Identities(port(nodeA)).token("staff", Identities.STAFF_PASSWORD);
        staff = new Http[] {new Http(port(nodeA)).as(token), new Http(port(nodeB)).as(token)};
        eventStore = nodeA.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stopBothNodes() {
        try {
            log.info("Answers per scenario and status: {}; command conflicts per scenario, both nodes: {}",
                    new TreeMap<>(statuses), new TreeMap<>(conflictsPerScenario));
        } finally {
            // node A owns the embedded database: node B goes first
            if (nodeB != null) nodeB.close();
            if (nodeA != null) nodeA.close();
        }
    }

    @Test
    void eitherNodeAcceptsATokenTheOtherIssued() {
        String tokenOfB = new Identities(port(nodeB)).token("staff", Identities.STAFF_PASSWORD);
        Http.Response onA = new Http(port(nodeA)).as(tokenOfB).get("/api/products?limit=1");
        Http.Response onB = staff[1].get("/api/products?limit=1");
        assertThat(onA.status()).as(onA.toString()).isEqualTo(200);
        assertThat(onB.status()).as(onB.toString()).isEqualTo(200);
    }

    @Test
    void twoNodesWritingOneInventoryItemAnswerOnly2xxOr409AndLoseNoAcknowledgedReceipt() throws Exception {
        ProductId product = newProduct();
        CountDownLatch stocked = new CountDownLatch(1);
        Map<OrderId, ReservationOutcome> decided = new ConcurrentHashMap<>();
        Map<OrderId, RuntimeException> failed = new ConcurrentHashMap<>();
        CommandGateway[] gateways = {nodeA.getBean(CommandGateway.class), nodeB.getBean(CommandGateway.class)};

        // Receipts over HTTP on a new item (both nodes may create it), and reservations sent the way the order
        // process sends them, through each node's command gateway, once the item exists.
        List<Answer> receipts = race("receipts", CLIENTS, REQUESTS_EACH, (client, request, node) -> {
            int quantity = client * REQUESTS_EACH + request + 1; // unique, so that each receipt is found in the events
            Http.Response response = staff[node].post("/api/inventory/" + product + "/receipts",
                    "{\"quantity\": " + quantity + "}");
            if (response.status() / 100 == 2) {
                stocked.countDown();
            }
            return new Answer(quantity, response);
        }, (client, request, node) -> {
            if (request % 2 == 0 && stocked.await(30, TimeUnit.SECONDS)) {
                OrderId order = OrderId.newId();
                try {
                    decided.put(order, gateways[node].sendAndWait(new ReserveStockCommand(product, order, 1)));
                } catch (RuntimeException e) {
                    failed.put(order, e);
                }
            }
            return null;
        });

        assertOnly2xxOr409(receipts);
        assertThat(conflictsPerScenario.get("receipts").get("conflicted")).as("the nodes met in conflicts").isPositive();
        String item = "inventory:" + product;
        List<Integer> stored = payloads(item, "org.orderly.api.inventory.StockReceivedEvent").stream()
                .map(p -> p.get("quantity").asInt()).sorted().toList();
        assertThat(stored).as("every acknowledged receipt is stored once, and no refused one")
                .isEqualTo(values(receipts, 2));

        Map<String, String> outcomes = new HashMap<>();
        for (JsonNode p : payloads(item, "org.orderly.api.inventory.StockReservedEvent")) {
            outcomes.put(id(p.get("orderId")), ReservationOutcome.RESERVED.name());
        }
        for (JsonNode p : payloads(item, "org.orderly.api.inventory.StockReservationRejectedEvent")) {
            outcomes.put(id(p.get("orderId")), ReservationOutcome.REJECTED.name());
        }
        assertThat(failed.values()).as("reservations that failed").allSatisfy(e -> assertThat(e.getClass().getName())
                .as(e.toString()).contains("Concurrency"));
        for (OrderId refused : failed.keySet()) {
            assertThat(outcomes).as("a reservation that failed stored nothing").doesNotContainKey(refused.toString());
        }
        assertThat(outcomes).as("every answered reservation is stored as it was answered").isEqualTo(decided.entrySet()
                .stream().collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().name())));

        // past orderly.inventory.snapshot-after (100) events: both nodes went on deciding on the snapshot too
        await().atMost(Duration.ofSeconds(10)).until(() -> eventStore.queryForObject(
                "SELECT count(*) FROM event_store.snapshot_event_entry WHERE aggregate_identifier = ?",
                Integer.class, item) > 0);

        int onHand = stored.stream().mapToInt(Integer::intValue).sum();
        long reserved = decided.values().stream().filter(ReservationOutcome.RESERVED::equals).count();
        long version = lastSequence(item);
        for (Http http : staff) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                    ("\"" + version + "\"").equals(http.get("/api/inventory/" + product).header("ETag")));
            JsonNode stock = http.get("/api/inventory/" + product).json();
            assertThat(stock.get("onHand").asInt()).isEqualTo(onHand);
            assertThat(stock.get("reserved").asLong()).isEqualTo(reserved);
        }
    }

    @Test
    void twoNodesChangingOneProductsPriceAnswerOnly2xxOr409AndTheLastStoredPriceIsThePrice() throws Exception {
        ProductId product = newProduct();
        List<Answer> changes = race("prices", CLIENTS, REQUESTS_EACH, (client, request, node) -> {
            int cents = 200 + client * REQUESTS_EACH + request; // unique, and never the price the product starts at
            return new Answer(cents, staff[node].put("/api/products/" + product + "/price",
                    "{\"amount\": \"" + BigDecimal.valueOf(cents, 2) + "\", \"currency\": \"EUR\"}"));
        });

        assertOnly2xxOr409(changes);
        assertThat(conflictsPerScenario.get("prices").get("conflicted")).as("the nodes met in conflicts").isPositive();
        List<JsonNode> events = payloads(product.toString(), "org.orderly.api.catalog.ProductPriceChangedEvent");
        List<Integer> stored = events.stream().map(p -> cents(p.get("price").get("amount"))).toList();
        assertThat(stored.stream().sorted().toList()).as("every acknowledged change is stored once, and no refused one")
                .isEqualTo(values(changes, 2));
        int last = stored.get(stored.size() - 1);
        long version = lastSequence(product.toString());
        for (Http http : staff) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                    ("\"" + version + "\"").equals(http.get("/api/products/" + product).header("ETag")));
            assertThat(cents(http.get("/api/products/" + product).json().get("price").get("amount"))).isEqualTo(last);
        }
    }

    @Test
    void twoNodesChangingOneProductsPriceFromOneVersionAcknowledgeOneAndRefuseTheOthersOnIfMatch() throws Exception {
        ProductId product = newProduct();
        int rounds = 6;
        for (int round = 0; round < rounds; round++) {
            String version = "\"" + round + "\"";
            int base = 1000 * (round + 1);
            List<Answer> changes = race("prices-if-match", CLIENTS, 1, (client, request, node) -> new Answer(base + client,
                    staff[node].put("/api/products/" + product + "/price", "{\"amount\": \""
                            + BigDecimal.valueOf(base + client, 2) + "\", \"currency\": \"EUR\"}", "If-Match", version)));

            assertOnly2xxOr409(changes);
            assertThat(changes.stream().filter(a -> a.response().status() == 204)).as("acknowledged from version "
                    + version).hasSize(1);
            for (Answer refused : changes.stream().filter(a -> a.response().status() == 409).toList()) {
                assertThat(refused.response().json().get("errors").get(0).get("field").asText())
                        .as(refused.response().toString()).isEqualTo("If-Match");
            }
            List<JsonNode> events = payloads(product.toString(), "org.orderly.api.catalog.ProductPriceChangedEvent");
            assertThat(events).hasSize(round + 1);
            assertThat(cents(events.get(round).get("price").get("amount"))).isEqualTo(values(changes, 2).get(0));
        }
    }

    @Test
    void twoNodesMovingTwoCategoriesUnderEachOtherStoreExactlyOneMoveAndNeverACycle() throws Exception {
        double conflicted = 0;
        for (int round = 0; round < 6; round++) {
            String a = newCategory("Crossing A");
            String b = newCategory("Crossing B");
            // even clients move A under B, odd ones B under A, on both nodes at once
            List<Answer> moves = race("crossing-moves", CLIENTS, 1, (client, request, node) -> new Answer(client % 2,
                    staff[node].put("/api/categories/" + (client % 2 == 0 ? a : b) + "/parent",
                            "{\"parentId\": \"" + (client % 2 == 0 ? b : a) + "\"}")));
            conflicted += conflictsPerScenario.get("crossing-moves").getOrDefault("conflicted", 0.0);

            assertOnly2xxOr409(moves);
            List<JsonNode> stored = payloads(CategoryTreeId.CATALOG.toString(),
                    "org.orderly.api.catalog.CategoryMovedEvent").stream()
                    .filter(p -> List.of(a, b).contains(id(p.get("categoryId")))).toList();
            assertThat(stored).as("moves stored in round " + round).hasSize(1);
            int won = id(stored.get(0).get("categoryId")).equals(a) ? 0 : 1;
            // the winning move's repeats find it done (204); every opposite move would close a loop (409)
            assertThat(values(moves, 2)).as("acknowledged in round " + round).containsOnly(won);
            assertThat(values(moves, 4)).as("refused in round " + round).containsOnly(1 - won).hasSize(CLIENTS / 2);
        }
        log.info("Crossing category moves: {} command conflicts between the nodes over 6 rounds", conflicted);
    }

    @Test
    void twoNodesChangingOneCustomerAnswerOnly2xxOr409AndKeepEveryAcknowledgedChange() throws Exception {
        String email = "nodes-" + UUID.randomUUID() + "@example.com";
        Identities identities = new Identities(port(nodeA));
        Identities.Customer customer = identities.customer(email, "Two Nodes");
        String token = identities.token(email, Identities.CUSTOMER_PASSWORD);
        Http[] self = {new Http(port(nodeA)).as(token), new Http(port(nodeB)).as(token)};
        String prefix = "nodes-" + UUID.randomUUID() + "-";

        List<Answer> answers = race("customer", CLIENTS, REQUESTS_EACH, (client, request, node) -> {
            int value = client * REQUESTS_EACH + request + 1;
            if (client % 2 == 0) {
                return new Answer(value, staff[node].put("/api/customers/" + customer.id() + "/credit-limit",
                        "{\"amount\": \"" + (1000 + value) + "\", \"currency\": \"EUR\"}"));
            }
            return new Answer(-value, self[node].put("/api/customers/" + customer.id() + "/email",
                    "{\"email\": \"" + prefix + value + "@example.com\"}"));
        });

        assertOnly2xxOr409(answers);
        List<Integer> limits = payloads(customer.id(), "org.orderly.api.customer.CustomerCreditLimitSetEvent").stream()
                .map(p -> cents(p.get("creditLimit").get("amount")) / 100 - 1000).toList();
        assertThat(limits.stream().sorted().toList()).as("every acknowledged credit limit is stored once")
                .isEqualTo(values(answers, 2).stream().filter(v -> v > 0).toList());
        long emailChanges = answers.stream().filter(a -> a.value() < 0 && a.response().status() == 204).count();
        assertThat(payloads(customer.id(), "org.orderly.api.customer.CustomerEmailChangedEvent"))
                .as("every acknowledged email change is stored once").hasSize((int) emailChanges);

        long version = lastSequence(customer.id());
        JsonNode view = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Http.Response response = staff[1].get("/api/customers/" + customer.id());
            return ("\"" + version + "\"").equals(response.header("ETag")) ? response.json() : null;
        }, v -> v != null);
        assertThat(cents(view.get("creditLimit").get("amount")) / 100 - 1000).isEqualTo(limits.get(limits.size() - 1));
        String finalEmail = view.get("email").asText();
        assertThat(eventStore.queryForList("SELECT email FROM customer_registry.customer_email WHERE customer_id = ?",
                String.class, UUID.fromString(customer.id())))
                .as("the email registry holds the customer's final email, and no email of a change rolled back")
                .containsExactly(finalEmail);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(identities.requestToken(finalEmail, Identities.CUSTOMER_PASSWORD).status())
                        .as("the customer logs in with their final email").isEqualTo(200));
    }

    @Test
    void aReceiptSentWithOneIdempotencyKeyToBothNodesAtOnceIsStoredOnceAndEveryAnswerAgrees() throws Exception {
        ProductId product = newProduct();
        assertThat(staff[0].post("/api/inventory/" + product + "/receipts", "{\"quantity\": 1}").status()).isEqualTo(204);
        int keys = 12;
        List<String> keyNames = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            keyNames.add("nodes-" + UUID.randomUUID());
        }
        // Each key is sent by two clients at once, one per node, while other receipts of the same item race them.
        List<Answer> answers = race("idempotent-receipts", 2, keys, (client, request, node) -> {
            int quantity = 100 + request;
            return new Answer(quantity, staff[client].post("/api/inventory/" + product + "/receipts",
                    "{\"quantity\": " + quantity + "}", "Idempotency-Key", keyNames.get(request)));
        }, (client, request, node) -> staff[node].post("/api/inventory/" + product + "/receipts", "{\"quantity\": 1000}"));

        for (Answer answer : answers) {
            assertThat(answer.response().status()).as(answer.response().toString()).isIn(204, 409);
        }
        // Sent once more, each key answers as it did when it was stored, on either node.
        List<Answer> again = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            again.add(new Answer(100 + k, staff[k % 2].post("/api/inventory/" + product + "/receipts",
                    "{\"quantity\": " + (100 + k) + "}", "Idempotency-Key", keyNames.get(k))));
        }
        count("idempotent-receipts-again", again);
        for (Answer answer : again) {
            assertThat(answer.response().status()).as(answer.response().toString()).isEqualTo(204);
        }
        List<Integer> stored = payloads("inventory:" + product, "org.orderly.api.inventory.StockReceivedEvent").stream()
                .map(p -> p.get("quantity").asInt()).filter(q -> q >= 100 && q < 1000).sorted().toList();
        assertThat(stored).as("each keyed receipt is stored exactly once").isEqualTo(values(again, 2));
    }

    // --- the race ---

    /** What a client sent (a value that tells its change apart) and what it got. */
    record Answer(int value, Http.Response response) {
    }

    @FunctionalInterface
    interface Call<T> {
        T call(int client, int request, int node) throws Exception;
    }

    /**
     * {@code clients} clients at once, each sending {@code requests} requests, alternating between the nodes (client
     * {@code c}'s request {@code r} goes to node {@code (c + r) % 2}); {@code alongside}, if given, runs as as many
     * more clients, whose answers are not collected.
     */
    @SafeVarargs
    private static List<Answer> race(String scenario, int clients, int requests, Call<Answer> call,
                                     Call<?>... alongside) throws Exception {
        int threads = clients * (1 + alongside.length);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Answer>>> sent = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                int client = c;
                sent.add(pool.submit(() -> {
                    start.await();
                    List<Answer> answers = new ArrayList<>();
                    for (int r = 0; r < requests; r++) {
                        answers.add(call.call(client, r, (client + r) % 2));
                    }
                    return answers;
                }));
                for (Call<?> other : alongside) {
                    sent.add(pool.submit(() -> {
                        start.await();
                        for (int r = 0; r < requests; r++) {
                            other.call(client, r, (client + r + 1) % 2);
                        }
                        return List.of();
                    }));
                }
            }
            Map<String, Double> before = conflicts();
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<List<Answer>> client : sent) {
                answers.addAll(client.get(60, TimeUnit.SECONDS));
            }
            count(scenario, answers);
            Map<String, Double> after = new TreeMap<>(conflicts());
            after.replaceAll((outcome, n) -> n - before.getOrDefault(outcome, 0.0));
            conflictsPerScenario.put(scenario, after);
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void count(String scenario, List<Answer> answers) {
        Map<Integer, Integer> counts = statuses.computeIfAbsent(scenario, s -> new ConcurrentHashMap<>());
        for (Answer answer : answers) {
            counts.merge(answer.response().status(), 1, Integer::sum);
        }
    }

    private static void assertOnly2xxOr409(List<Answer> answers) {
        for (Answer answer : answers) {
            int status = answer.response().status();
            assertThat(status / 100 == 2 || status == 409).as(answer.response().toString()).isTrue();
            if (status == 409) {
                assertThat(answer.response().header("Content-Type")).startsWith("application/problem+json");
            }
        }
    }

    /** The values of the answers with this status class (2 for 2xx), sorted. */
    private static List<Integer> values(List<Answer> answers, int statusClass) {
        return answers.stream().filter(a -> a.response().status() / 100 == statusClass).map(Answer::value)
                .sorted().toList();
    }

    // --- the nodes and the event store ---

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    /** A new product, known to the catalog's read model (which receipts need) on both nodes. */
    private static ProductId newProduct() {
        Http.Response created = staff[0].post("/api/products", "{\"sku\": \"NODES-" + UUID.randomUUID()
                + "\", \"name\": \"Contended\", \"price\": {\"amount\": \"1.00\", \"currency\": \"EUR\"}, \"weightGrams\": 10}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ProductId product = ProductId.of(created.json().get("productId").asText());
        for (Http http : staff) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get("/api/products/" + product).status() == 200);
        }
        return product;
    }

    /** A new root category, decided by the tree on node A. */
    private static String newCategory(String name) {
        Http.Response created = staff[0].post("/api/categories", "{\"name\": \"" + name + " " + UUID.randomUUID() + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("categoryId").asText();
    }

    private static List<JsonNode> payloads(String aggregate, String type) {
        return eventStore.queryForList("""
                SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type = ? ORDER BY sequence_number
                """, String.class, aggregate, type).stream().map(ConcurrentCommandNodesIT::json).toList();
    }

    private static long lastSequence(String aggregate) {
        return eventStore.queryForObject("SELECT max(sequence_number) FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ?", Long.class, aggregate);
    }

    /** An id as events carry it: the plain value, or an object holding it. */
    private static String id(JsonNode id) {
        return id.isObject() ? id.get("value").asText() : id.asText();
    }

    private static int cents(JsonNode amount) {
        return new BigDecimal(amount.asText()).movePointRight(2).intValueExact();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command conflicts both nodes met so far, by outcome, as their meters count them. */
    private static Map<String, Double> conflicts() {
        Map<String, Double> counts = new TreeMap<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            for (Counter counter : node.getBean(MeterRegistry.class).find("orderly.commands.conflicts").counters()) {
                counts.merge(String.valueOf(counter.getId().getTag("outcome")), counter.count(), Double::sum);
            }
        }
        return counts;
    }
}
