package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** Drives orders to delivery and returns over REST, as clients, carriers and the warehouse would. */
public final class ReturnsTestSupport {

    public static final Duration WAIT = Awaits.PATIENCE;
    private final Shop shop;
    /** Staff: the catalog, the warehouse, and every read that checks state. */
    private final Http http;

    public ReturnsTestSupport(Identities identities) {
        this.shop = new Shop(identities);
        this.http = shop.http();
    }

    /** Calls as staff. */
    public Http staff() {
        return http;
    }

    /** Calls as the customer who placed this order. */
    public Http asOwnerOf(String orderId) {
        return shop.asOwnerOf(orderId);
    }

    /** Calls as this customer (one this support signed up). */
    public Http as(String customerId) {
        return shop.as(customerId);
    }

    /** Signs up a customer, whose credit limit staff then set. */
    public String customer() {
        return shop.customer("1000.00");
    }

    /** Takes on a customer signed up elsewhere, whose credit limit staff then set. */
    public String customer(Identities.Customer customer) {
        return shop.customer(customer, "1000.00");
    }

    /** A product in the catalog with {@code stock} units received once the catalog's read model knows it. */
    public String product(String name, String price, int stock) {
        Http.Response added = http.post("/api/products", "{\"sku\": \"SKU-" + UUID.randomUUID() + "\", \"name\": \""
                + name + "\", \"price\": {\"amount\": \"" + price + "\", \"currency\": \"EUR\"}, \"weightGrams\": 100}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String productId = added.json().get("productId").asText();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                http.post("/api/inventory/" + productId + "/receipts", "{\"quantity\": " + stock + "}").status() == 204);
        return productId;
    }

    public static String line(String productId, int quantity) {
        return Shop.line(productId, quantity);
    }

    /** Places an order once the order domain's copies know the customer and products. */
    public String place(String customerId, String... lines) {
        return shop.place(customerId, lines);
    }

    /** Waits for the saga to confirm the order, then dispatches and delivers its shipment. */
    public void deliver(String orderId) {
        awaitOrder(orderId, "CONFIRMED");
        String shipment = shop.awaitShipment(orderId, s -> true).get("shipmentId").asText();
        assertThat(http.post("/api/shipments/" + shipment + "/dispatch", null).status()).isEqualTo(204);
        awaitOrder(orderId, "SHIPPED");
        assertThat(http.post("/api/shipments/" + shipment + "/delivery", null).status()).isEqualTo(204);
        awaitOrder(orderId, "DELIVERED");
    }

    public String deliveredOrder(String customerId, String... lines) {
        String orderId = place(customerId, lines);
        deliver(orderId);
        return orderId;
    }

    public void awaitOrder(String orderId, String status) {
        shop.awaitOrderStatus(orderId, status);
    }

    /** Requests a return as the order's customer. */
    public Http.Response requestReturn(String orderId, String reason, String... lines) {
        return requestReturnAs(shop.asOwnerOf(orderId), orderId, reason, lines);
    }

    /** Requests a return as {@code caller}, for an order that may be unknown or malformed. */
    public Http.Response requestReturnAs(Http caller, String orderId, String reason, String... lines) {
        return caller.post("/api/returns", "{\"orderId\": \"" + orderId + "\", \"lines\": [" + String.join(", ", lines)
                + "], \"reason\": \"" + reason + "\"}");
    }

    /** Requests a return (202) and answers its id. */
    public String returned(String orderId, String... lines) {
        Http.Response response = requestReturn(orderId, "not needed", lines);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        String returnId = response.json().get("returnId").asText();
        assertThat(response.header("Location")).isEqualTo("/api/returns/" + returnId);
        return returnId;
    }

    public JsonNode awaitReturn(String returnId, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/returns/" + returnId, condition);
    }

    public JsonNode awaitReturnStatus(String returnId, String status) {
        return awaitReturn(returnId, r -> r.get("status").asText().equals(status));
    }
}
