package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.orderly.api.workflow.WorkflowId;

/**
 * A client of the whole shop over REST, for tests that follow an order through every domain: it sets up
 * customers, products and stock, places orders once the order domain's copies know them, and waits for
 * the read models to show what the sagas did.
 */
public final class Shop {

    public static final Duration PATIENCE = Awaits.PATIENCE;

    private final Identities identities;
    /** Staff: sets up the catalog and stock, runs the warehouse, and reads everything. */
    private final Http http;
    private final Map<String, Http> customers = new ConcurrentHashMap<>();
    private final Map<String, String> orderOwners = new ConcurrentHashMap<>();

    public Shop(Identities identities) {
        this.identities = identities;
        this.http = identities.staff();
    }

    /** Calls as staff. */
    public Http http() {
        return http;
    }

    /** Calls as this customer (one this shop signed up). */
    public Http as(String customerId) {
        return customers.get(customerId);
    }

    /** Calls as the customer who placed this order. */
    public Http asOwnerOf(String orderId) {
        return customers.get(orderOwners.get(orderId));
    }

    /** Signs up a customer, whose credit limit staff then set. */
    public String customer(String creditLimit) {
        return customer(identities.customer("Fulfilled"), creditLimit);
    }

    /** Signs up a customer named {@code name}, whose credit limit staff then set. */
    public Identities.Customer customer(String name, String creditLimit) {
        Identities.Customer customer = identities.customer(name);
        customer(customer, creditLimit);
        return customer;
    }

    /** Takes on a customer signed up elsewhere (with a name or email a test chose), whose credit limit staff set. */
    public String customer(Identities.Customer customer, String creditLimit) {
        Http.Response limited = http.put("/api/customers/" + customer.id() + "/credit-limit",
                "{\"amount\": \"" + creditLimit + "\", \"currency\": \"EUR\"}");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(204);
        customers.put(customer.id(), customer.http());
        return customer.id();
    }

    public String product(String name, String price) {
        Http.Response added = http.post("/api/products", "{\"sku\": \"SKU-" + UUID.randomUUID() + "\", \"name\": \""
                + name + "\", \"price\": {\"amount\": \"" + price + "\", \"currency\": \"EUR\"}, \"weightGrams\": 250}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.json().get("productId").asText();
    }

    /** Receives stock once the catalog's read model knows the product (the receipt endpoint asks it). */
    public void receive(String productId, int quantity) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> http.post(
                "/api/inventory/" + productId + "/receipts", "{\"quantity\": " + quantity + "}").status() == 204);
        awaitStock(productId, s -> s.get("onHand").asInt() >= quantity);
    }

    public static String line(String productId, int quantity) {
        return "{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + "}";
    }

    /** Places an order once the order domain's copies know the customer and products. */
    public String place(String customerId, String... lines) {
        Http.Response[] placed = new Http.Response[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            placed[0] = as(customerId).post("/api/orders", "{\"customerId\": \"" + customerId + "\", \"lines\": ["
                    + String.join(", ", lines) + "]}");
            return placed[0].status() != 503 && placed[0].status() != 422;
        });
        assertThat(placed[0].status()).as(placed[0].toString()).isEqualTo(202);
        String orderId = placed[0].json().get("orderId").asText();
        orderOwners.put(orderId, customerId);
        return orderId;
    }

    public JsonNode awaitOrder(String orderId, Predicate<JsonNode> condition) {
        return awaitFound("/api/orders/" + orderId, condition);
    }

    public JsonNode awaitOrderStatus(String orderId, String status) {
        return awaitOrder(orderId, o -> o.get("status").asText().equals(status));
    }

    public JsonNode awaitStock(String productId, Predicate<JsonNode> condition) {
        return awaitFound("/api/inventory/" + productId, condition);
    }

    public JsonNode stock(String productId) {
        return http.get("/api/inventory/" + productId).json();
    }

    /** The order's one payment, once it reaches {@code status}. */
    public JsonNode awaitPayment(String orderId, String status) {
        return awaitFirst("/api/payments?orderId=" + orderId, p -> p.get("status").asText().equals(status));
    }

    /** How many payments the order has: the saga asks for at most one. */
    public int payments(String orderId) {
        return http.get("/api/payments?orderId=" + orderId).json().get("items").size();
    }

    public JsonNode awaitShipment(String orderId, Predicate<JsonNode> condition) {
        return awaitFirst("/api/shipments?orderId=" + orderId, condition);
    }

    /** The order's fulfilment saga as operators see it, once it satisfies {@code condition}. */
    public JsonNode awaitWorkflow(String orderId, Predicate<JsonNode> condition) {
        return awaitFound("/api/workflows/" + WorkflowId.forBusiness("order-fulfilment", orderId), condition);
    }

    public JsonNode awaitWorkflowStatus(String orderId, String status) {
        return awaitWorkflow(orderId, w -> w.get("status").asText().equals(status));
    }

    private JsonNode awaitFound(String path, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, path, condition);
    }

    private JsonNode awaitFirst(String listPath, Predicate<JsonNode> condition) {
        return Awaits.awaitFirst(http, listPath, condition);
    }
}
