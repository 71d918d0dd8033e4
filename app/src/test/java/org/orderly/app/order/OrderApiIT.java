package org.orderly.app.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.api.common.Money;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class OrderApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventBus eventBus;
    Identities identities;
    /** Staff: the catalog, stock, shipping, credit limits, and every read that checks state. */
    Http http;
    Shop shop;
    private final Map<ProductId, Long> productSequences = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
        http = shop.http();
    }

    @Test
    void placingAnOrderSnapshotsEachLinesNameAndPriceAndAnswers202() {
        String customer = customer("1000.00");
        String pen = product("Pen", "1.50");
        String ink = product("Ink", "7.25");

        Http.Response placed = place(customer, line(pen, 3), line(ink, 1));

        assertThat(placed.status()).as(placed.toString()).isEqualTo(202);
        String orderId = placed.json().get("orderId").asText();
        assertThat(placed.header("Location")).isEqualTo("/api/orders/" + orderId);
        JsonNode order = awaitOrder(orderId, o -> true);
        assertThat(order.get("customerId").asText()).isEqualTo(customer);
        assertThat(order.get("customerEmail").asText()).endsWith("@example.com");
        assertThat(order.get("lines")).hasSize(2);
        assertThat(order.get("lines").get(0).get("productName").asText()).isEqualTo("Pen");
        assertThat(order.get("lines").get(0).get("quantity").asInt()).isEqualTo(3);
        assertThat(order.get("lines").get(0).get("unitPrice").get("amount").asText()).isEqualTo("1.50");
        assertThat(order.get("lines").get(0).get("unitPrice").get("currency").asText()).isEqualTo("EUR");
        assertThat(order.get("total").get("amount").asText()).isEqualTo("11.75");
        // Placed PENDING; the fulfilment saga then rejects it (nothing is in stock), maybe before this read.
        assertThat(order.get("history").get(0).get("status").asText()).isEqualTo("PENDING");
        JsonNode rejected = awaitOrder(orderId, o -> o.get("status").asText().equals("REJECTED"));
        assertThat(rejected.get("history").get(1).get("reason").asText()).isEqualTo("out of stock");
        assertThat(http.get("/api/orders/" + orderId).header("ETag")).isEqualTo("\"" + rejected.get("version").asLong() + "\"");
    }

    @Test
    void aPriceChangeAfterPlacementLeavesThePlacedOrderUnchanged() {
        String customer = customer("1000.00");
        String pen = product("Pen", "1.50");
        String orderId = place(customer, line(pen, 2)).json().get("orderId").asText();
        awaitOrder(orderId, o -> true);

        catalogEvent(ProductId.of(pen), new ProductPriceChangedEvent(ProductId.of(pen), Money.of("99.00", "EUR")));
        catalogEvent(ProductId.of(pen), new ProductRenamedEvent(ProductId.of(pen), "Golden pen"));
        String later = awaitPlaced(customer, line(pen, 1));

        JsonNode laterOrder = awaitOrder(later, o -> true);
        assertThat(laterOrder.get("total").get("amount").asText()).as("a new order sees the new price").isEqualTo("99.00");
        assertThat(laterOrder.get("lines").get(0).get("productName").asText()).isEqualTo("Golden pen");
        JsonNode first = http.get("/api/orders/" + orderId).json();
        assertThat(first.get("total").get("amount").asText()).isEqualTo("3.00");
        assertThat(first.get("lines").get(0).get("unitPrice").get("amount").asText()).isEqualTo("1.50");
        assertThat(first.get("lines").get(0).get("productName").asText()).isEqualTo("Pen");
    }

    @Test
    void aPriceChangeThroughTheCatalogAfterPlacementLeavesThePlacedOrdersTotalUnchanged() {
        String customer = customer("1000.00");
        Http.Response added = http.post("/api/products", "{\"sku\": \"SKU-" + UUID.randomUUID() + "\", \"name\": \"Lamp\","
                + " \"price\": {\"amount\": \"20.00\", \"currency\": \"EUR\"}, \"weightGrams\": 900}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String lamp = added.json().get("productId").asText();
        String orderId = awaitPlaced(customer, line(lamp, 2));
        awaitOrder(orderId, o -> true);

        assertThat(http.put("/api/products/" + lamp + "/price", "{\"amount\": \"35.00\", \"currency\": \"EUR\"}").status())
                .isEqualTo(204);
        String later = awaitPlaced(customer, line(lamp, 2));

        assertThat(awaitOrder(later, o -> true).get("total").get("amount").asText()).isEqualTo("70.00");
        JsonNode placed = http.get("/api/orders/" + orderId).json();
        assertThat(placed.get("total").get("amount").asText()).isEqualTo("40.00");
        assertThat(placed.get("lines").get(0).get("unitPrice").get("amount").asText()).isEqualTo("20.00");
    }

    @Test
    void aCustomerEmailChangeReachesTheOrdersCopy() {
        String customer = customer("1000.00");
        String pen = product("Pen", "1.50");
        String orderId = place(customer, line(pen, 1)).json().get("orderId").asText();
        awaitOrder(orderId, o -> true);
        String newEmail = "moved-" + UUID.randomUUID() + "@example.com";

        assertThat(shop.as(customer).put("/api/customers/" + customer + "/email", "{\"email\": \"" + newEmail + "\"}").status())
                .isEqualTo(204);

        awaitOrder(orderId, o -> newEmail.equals(o.get("customerEmail").asText()));
    }

    @Test
    void orderingForAnotherOrAnUnknownCustomerIsA404AndWritesNothing() {
        String pen = product("Pen", "1.50");
        String customer = customer("10.00");
        String other = customer("10.00");
        awaitSettled(awaitPlaced(customer, line(pen, 1)));
        awaitSettled(awaitPlaced(other, line(pen, 1)));
        long before = eventCount();

        Http.Response unknown = placeAs(customer, UUID.randomUUID().toString(), line(pen, 1));
        Http.Response another = placeAs(customer, other, line(pen, 1));

        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(another.status()).as("another customer looks as if they did not exist: " + another).isEqualTo(404);
        assertThat(another.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aCustomerWhoLeavesOutTheCustomerIdOrdersForThemselves() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");
        awaitPlaced(customer, line(pen, 1));

        Http.Response placed = shop.as(customer).post("/api/orders", "{\"lines\": [" + line(pen, 1) + "]}");

        assertThat(placed.status()).as(placed.toString()).isEqualTo(202);
        JsonNode order = awaitOrder(placed.json().get("orderId").asText(), o -> true);
        assertThat(order.get("customerId").asText()).isEqualTo(customer);
    }

    @Test
    void aDeactivatedCustomerIsA422() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");
        awaitPlaced(customer, line(pen, 1));
        assertThat(shop.as(customer).post("/api/customers/" + customer + "/deactivation", null).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(15)).until(() -> place(customer, line(pen, 1)).status() == 422);
        assertProblem(place(customer, line(pen, 1)), 422, "customerId");
    }

    @Test
    void anUnknownOrDiscontinuedProductIsA422NamingItsLine() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");
        String pad = product("Pad", "2.00");
        awaitPlaced(customer, line(pen, 1), line(pad, 1));

        assertProblem(place(customer, line(pen, 1), line(UUID.randomUUID().toString(), 1)), 422, "lines[1].productId");

        catalogEvent(ProductId.of(pad), new ProductDiscontinuedEvent(ProductId.of(pad)));
        await().atMost(Duration.ofSeconds(15)).until(() -> place(customer, line(pad, 1)).status() == 422);
        assertProblem(place(customer, line(pen, 1), line(pad, 1)), 422, "lines[1].productId");
    }

    @Test
    void anOrderAboveTheCustomersCreditLimitIsA422() {
        String customer = customer("10.00");
        String pen = product("Pen", "4.00");
        awaitPlaced(customer, line(pen, 2));

        assertProblem(place(customer, line(pen, 3)), 422, "lines");
    }

    @Test
    void copiesThatCannotCatchUpWithTheOrderRefuseItWith503AndWriteNothing() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");
        awaitSettled(awaitPlaced(customer, line(pen, 1)));
        StreamingEventProcessor copies = processing
                .eventProcessor("order-product-copies", StreamingEventProcessor.class).orElseThrow();
        copies.shutDown();
        try {
            String fresh = product("Fresh", "1.00");
            long before = eventCount();

            Http.Response waiting = place(customer, line(fresh, 1));

            assertThat(waiting.status()).as("copies cannot catch up: " + waiting).isEqualTo(503);
            assertThat(waiting.header("Retry-After")).isEqualTo("1");
            assertThat(waiting.header("Content-Type")).startsWith("application/problem+json");
            assertThat(eventCount()).isEqualTo(before);
            copies.start();
            awaitPlaced(customer, line(fresh, 1));
        } finally {
            if (!copies.isRunning()) {
                copies.start();
            }
        }
    }

    @Test
    void malformedOrdersAreA400NamingTheField() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");

        Http http = shop.as(customer);
        assertProblem(http.post("/api/orders", "{\"customerId\": \"" + customer + "\", \"lines\": []}"), 400, "lines");
        assertProblem(place(customer, line(pen, 0)), 400, "lines[0].quantity");
        assertProblem(place(customer, line(pen, 1), line(pen, 2)), 400, "lines[1].productId");
        assertProblem(http.post("/api/orders", "{\"customerId\": \"nope\", \"lines\": []}"), 400, "customerId");
    }

    @Test
    void ordersAreListedByCustomerAndByStatusPageByPage() {
        String customer = customer("1000.00");
        String pen = product("Pen", "1.00");
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(awaitPlaced(customer, line(pen, 1)));
        }
        // The fulfilment saga rejects the four orders of an unstocked product and confirms the stocked one.
        String ink = product("Ink", "2.00");
        stock(ink, 5);
        String confirmedOrder = awaitPlaced(customer, line(ink, 1));
        placed.add(confirmedOrder);
        placed.subList(0, 5).forEach(id -> awaitOrder(id, o -> o.get("status").asText().equals("REJECTED")));
        awaitOrder(confirmedOrder, o -> o.get("status").asText().equals("CONFIRMED"));

        List<String> seen = new ArrayList<>();
        for (JsonNode page : http.pages("/api/orders?customerId=" + customer + "&limit=2")) {
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(o -> seen.add(o.get("orderId").asText()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(placed).isSorted();

        JsonNode confirmed = http.get("/api/orders?customerId=" + customer + "&status=CONFIRMED").json();
        assertThat(confirmed.get("items")).hasSize(1);
        assertThat(confirmed.get("items").get(0).get("orderId").asText()).isEqualTo(confirmedOrder);
        assertThat(http.get("/api/orders?customerId=" + customer + "&status=REJECTED").json().get("items")).hasSize(5);
        assertProblem(http.get("/api/orders?status=LOST"), 400, "status");
    }

    @Test
    void cancellingAPendingOrderRecordsTheReasonAndASecondCancellationIsA409() {
        // Above the simulated provider's silence threshold: the order stays PENDING while the payment waits.
        String customer = customer("100000.00");
        String pen = product("Gold pen", "60000.00");
        stock(pen, 2);
        String orderId = awaitPlaced(customer, line(pen, 1));
        awaitOrder(orderId, o -> true);
        Http owner = shop.as(customer);
        Http other = shop.as(customer("10.00"));

        assertThat(other.post("/api/orders/" + orderId + "/cancellation", null).status())
                .as("another customer's order does not exist for them").isEqualTo(404);
        assertProblem(owner.post("/api/orders/" + orderId + "/cancellation", "{\"reason\": \"late\"}", "If-Match", "\"4\""),
                409, "If-Match");
        Http.Response cancelled = owner.post("/api/orders/" + orderId + "/cancellation", "{\"reason\": \"found it cheaper\"}",
                "If-Match", "\"0\"");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);

        JsonNode order = awaitOrder(orderId, o -> o.get("status").asText().equals("CANCELLED"));
        assertThat(order.get("history").get(1).get("reason").asText()).isEqualTo("found it cheaper");
        assertThat(owner.post("/api/orders/" + orderId + "/cancellation", null).status()).isEqualTo(409);
        assertThat(owner.post("/api/orders/" + UUID.randomUUID() + "/cancellation", null).status()).isEqualTo(404);
    }

    @Test
    void cancellingAfterDispatchIsA409() {
        String customer = customer("100.00");
        String pen = product("Pen", "1.50");
        stock(pen, 3);
        String orderId = awaitPlaced(customer, line(pen, 1));
        awaitOrder(orderId, o -> o.get("status").asText().equals("CONFIRMED"));
        String[] shipment = new String[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode items = http.get("/api/shipments?orderId=" + orderId).json().get("items");
            shipment[0] = items.isEmpty() ? null : items.get(0).get("shipmentId").asText();
            return shipment[0] != null;
        });
        assertThat(http.post("/api/shipments/" + shipment[0] + "/dispatch", null).status()).isEqualTo(204);
        awaitOrder(orderId, o -> o.get("status").asText().equals("SHIPPED"));
        awaitQuiet();
        long before = eventCount();

        Http.Response response = shop.as(customer).post("/api/orders/" + orderId + "/cancellation", null);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anUnknownOrderIsA404() {
        Http.Response response = http.get("/api/orders/" + UUID.randomUUID());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    /** Signs up a customer, whose credit limit staff then set. */
    private String customer(String creditLimit) {
        return shop.customer(creditLimit);
    }

    /** Catalog events as the catalog domain publishes them; the order domain only ever sees these events. */
    private String product(String name, String price) {
        ProductId id = ProductId.newId();
        catalogEvent(id, new ProductAddedEvent(id, "SKU-" + id, name, Money.of(price, "EUR"), 100));
        return id.toString();
    }

    /** Appends {@code payload} as the next event of product {@code id}'s stream, as its aggregate would. */
    private void catalogEvent(ProductId id, Object payload) {
        long sequence = productSequences.merge(id, 0L, (previous, zero) -> previous + 1);
        eventBus.publish(new GenericDomainEventMessage<>("Product", id.toString(), sequence, payload));
    }

    private static String line(String productId, int quantity) {
        return "{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + "}";
    }

    /** Places an order as the customer it is for. */
    private Http.Response place(String customerId, String... lines) {
        return placeAs(customerId, customerId, lines);
    }

    private Http.Response placeAs(String caller, String customerId, String... lines) {
        return shop.as(caller).post("/api/orders", "{\"customerId\": \"" + customerId + "\", \"lines\": ["
                + String.join(", ", lines) + "]}");
    }

    /** Places an order once the order domain's copies know the customer and products. */
    private String awaitPlaced(String customerId, String... lines) {
        Http.Response[] placed = new Http.Response[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            placed[0] = place(customerId, lines);
            return placed[0].status() != 503 && placed[0].status() != 422;
        });
        assertThat(placed[0].status()).as(placed[0].toString()).isEqualTo(202);
        return placed[0].json().get("orderId").asText();
    }

    private JsonNode awaitOrder(String id, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/orders/" + id, condition);
    }

    /** Receives stock once the catalog's read model knows the product (the receipt endpoint asks it). */
    private void stock(String productId, int quantity) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() ->
                http.post("/api/inventory/" + productId + "/receipts", "{\"quantity\": " + quantity + "}").status() == 204);
    }

    /** Waits for the saga to reject an order of unstocked goods, and for everything it writes to land. */
    private void awaitSettled(String orderId) {
        awaitOrder(orderId, o -> o.get("status").asText().equals("REJECTED"));
        awaitQuiet();
    }

    /** The fulfilment saga writes after the order changes; counting events waits until nothing more arrives. */
    private void awaitQuiet() {
        Awaits.awaitQuiet(eventStore);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }
}
