package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** Drives orders to delivery and returns over REST, as clients, carriers and the warehouse would. */
final class ReturnsTestSupport {

    static final Duration WAIT = Duration.ofSeconds(30);
    private final Http http;

    ReturnsTestSupport(Http http) {
        this.http = http;
    }

    String customer() {
        Http.Response created = http.post("/api/customers", "{\"email\": \"r-" + UUID.randomUUID()
                + "@example.com\", \"name\": \"Returner\", \"creditLimit\": {\"amount\": \"1000.00\", \"currency\": \"EUR\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("customerId").asText();
    }

    /** A product in the catalog with {@code stock} units received once the catalog's read model knows it. */
    String product(String name, String price, int stock) {
        Http.Response added = http.post("/api/products", "{\"sku\": \"SKU-" + UUID.randomUUID() + "\", \"name\": \""
                + name + "\", \"price\": {\"amount\": \"" + price + "\", \"currency\": \"EUR\"}, \"weightGrams\": 100}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String productId = added.json().get("productId").asText();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                http.post("/api/inventory/" + productId + "/receipts", "{\"quantity\": " + stock + "}").status() == 204);
        return productId;
    }

    static String line(String productId, int quantity) {
        return "{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + "}";
    }

    /** Places an order once the order domain's copies know the customer and products. */
    String place(String customerId, String... lines) {
        Http.Response[] placed = new Http.Response[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            placed[0] = http.post("/api/orders", "{\"customerId\": \"" + customerId + "\", \"lines\": ["
                    + String.join(", ", lines) + "]}");
            return placed[0].status() != 503 && placed[0].status() != 422;
        });
        assertThat(placed[0].status()).as(placed[0].toString()).isEqualTo(202);
        return placed[0].json().get("orderId").asText();
    }

    /** Waits for the saga to confirm the order, then dispatches and delivers its shipment. */
    void deliver(String orderId) {
        awaitOrder(orderId, "CONFIRMED");
        String[] shipment = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode items = http.get("/api/shipments?orderId=" + orderId).json().get("items");
            shipment[0] = items.isEmpty() ? null : items.get(0).get("shipmentId").asText();
            return shipment[0] != null;
        });
        assertThat(http.post("/api/shipments/" + shipment[0] + "/dispatch", null).status()).isEqualTo(204);
        awaitOrder(orderId, "SHIPPED");
        assertThat(http.post("/api/shipments/" + shipment[0] + "/delivery", null).status()).isEqualTo(204);
        awaitOrder(orderId, "DELIVERED");
    }

    String deliveredOrder(String customerId, String... lines) {
        String orderId = place(customerId, lines);
        deliver(orderId);
        return orderId;
    }

    void awaitOrder(String orderId, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response response = http.get("/api/orders/" + orderId);
            return response.status() == 200 && response.json().get("status").asText().equals(status);
        });
    }

    Http.Response requestReturn(String orderId, String reason, String... lines) {
        return http.post("/api/returns", "{\"orderId\": \"" + orderId + "\", \"lines\": [" + String.join(", ", lines)
                + "], \"reason\": \"" + reason + "\"}");
    }

    /** Requests a return (202) and answers its id. */
    String returned(String orderId, String... lines) {
        Http.Response response = requestReturn(orderId, "not needed", lines);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        String returnId = response.json().get("returnId").asText();
        assertThat(response.header("Location")).isEqualTo("/api/returns/" + returnId);
        return returnId;
    }

    JsonNode awaitReturn(String returnId, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response response = http.get("/api/returns/" + returnId);
            if (response.status() != 200) {
                return false;
            }
            found[0] = response.json();
            return condition.test(found[0]);
        });
        return found[0];
    }

    JsonNode awaitReturnStatus(String returnId, String status) {
        return awaitReturn(returnId, r -> r.get("status").asText().equals(status));
    }
}
