package org.orderly.app.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.Shop.line;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The order fulfilment saga end to end over REST, on PostgreSQL, with the simulated payment provider: it
 * approves up to 10,000.00, declines above and never answers above 50,000.00. The saga waits 3 s for a
 * payment answer here, so the silent provider's path takes seconds rather than the default 30.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@TestPropertySource(properties = {
        "orderly.sagas.fulfilment.payment-timeout=3s",
        "orderly.sagas.fulfilment.retry-backoff=200ms",
        "orderly.sagas.fulfilment.max-retry-backoff=1s"})
class FulfilmentIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Shop shop;

    @BeforeEach
    void setUp() {
        shop = new Shop(new Identities(port));
    }

    @Test
    void aStockedPaidOrderIsConfirmedShippedAndDeliveredWithItsStockCommittedAndPaymentCaptured() {
        String customer = shop.customer("1000.00");
        String pen = shop.product("Pen", "12.50");
        shop.receive(pen, 10);

        String orderId = shop.place(customer, line(pen, 2));

        shop.awaitOrderStatus(orderId, "CONFIRMED");
        assertStock(shop.awaitStock(pen, s -> s.get("reserved").asInt() == 2), 10, 2);
        assertThat(shop.awaitPayment(orderId, "AUTHORIZED").get("amount").get("amount").asText()).isEqualTo("25.00");
        JsonNode waiting = shop.awaitWorkflow(orderId, w -> "await-dispatch".equals(w.get("currentStep").asText()));
        assertThat(waiting.get("status").asText()).isEqualTo("RUNNING");
        assertThat(waiting.get("type").asText()).isEqualTo("order-fulfilment");
        assertThat(waiting.get("businessId").asText()).isEqualTo(orderId);
        assertThat(Instant.parse(waiting.get("deadline").asText())).as("dispatch has a deadline too")
                .isAfter(Instant.now().plusSeconds(3600));
        assertThat(steps(waiting)).containsExactly(
                Map.entry("reserve-stock", "COMPLETED"), Map.entry("authorize-payment", "COMPLETED"),
                Map.entry("confirm-order", "COMPLETED"), Map.entry("create-shipment", "COMPLETED"),
                Map.entry("await-dispatch", "RUNNING"));

        JsonNode shipment = shop.awaitShipment(orderId, s -> true);
        assertThat(shipment.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
        String shipmentId = shipment.get("shipmentId").asText();
        assertThat(shop.http().post("/api/shipments/" + shipmentId + "/dispatch", null).status()).isEqualTo(204);

        shop.awaitOrderStatus(orderId, "SHIPPED");
        assertStock(shop.awaitStock(pen, s -> s.get("reserved").asInt() == 0), 8, 0);

        assertThat(shop.http().post("/api/shipments/" + shipmentId + "/delivery", null).status()).isEqualTo(204);

        JsonNode delivered = shop.awaitOrderStatus(orderId, "DELIVERED");
        assertThat(delivered.get("history")).extracting(h -> h.get("status").asText())
                .containsExactly("PENDING", "CONFIRMED", "SHIPPED", "DELIVERED");
        shop.awaitPayment(orderId, "CAPTURED");
        assertThat(shop.payments(orderId)).isEqualTo(1);
        JsonNode completed = shop.awaitWorkflowStatus(orderId, "COMPLETED");
        assertThat(completed.get("deadline").isNull()).as("an ended saga waits on nothing").isTrue();
        assertThat(steps(completed)).containsExactly(
                Map.entry("reserve-stock", "COMPLETED"), Map.entry("authorize-payment", "COMPLETED"),
                Map.entry("confirm-order", "COMPLETED"), Map.entry("create-shipment", "COMPLETED"),
                Map.entry("await-dispatch", "COMPLETED"), Map.entry("commit-stock", "COMPLETED"),
                Map.entry("mark-order-shipped", "COMPLETED"), Map.entry("await-delivery", "COMPLETED"),
                Map.entry("mark-order-delivered", "COMPLETED"), Map.entry("capture-payment", "COMPLETED"));
        completed.get("steps").forEach(step -> {
            assertThat(step.get("endedAt").isNull()).isFalse();
            assertThat(Instant.parse(step.get("endedAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(step.get("startedAt").asText()));
            assertThat(step.get("error").isNull()).isTrue();
        });
    }

    @Test
    void anOrderWithOneLineShortIsRejectedAndThePartialReservationReleased() {
        String customer = shop.customer("1000.00");
        String pen = shop.product("Pen", "2.00");
        String ink = shop.product("Ink", "3.00");
        shop.receive(pen, 5);
        shop.receive(ink, 1);
        long penVersion = stockVersion(pen);

        String orderId = shop.place(customer, line(pen, 2), line(ink, 3));

        JsonNode rejected = shop.awaitOrderStatus(orderId, "REJECTED");
        assertThat(rejected.get("history").get(1).get("reason").asText()).isEqualTo("out of stock");
        JsonNode workflow = shop.awaitWorkflowStatus(orderId, "COMPENSATED");
        assertThat(steps(workflow)).containsExactly(Map.entry("reserve-stock", "FAILED"),
                Map.entry("release-stock", "COMPLETED"), Map.entry("cancel-payment", "COMPLETED"),
                Map.entry("reject-order", "COMPLETED"));
        assertThat(workflow.get("steps").get(0).get("error").asText()).startsWith("out of stock").contains(ink);
        // The pen was reserved, then released: two changes, and nothing held.
        shop.awaitStock(pen, s -> stockVersion(pen) == penVersion + 2);
        assertStock(shop.stock(pen), 5, 0);
        assertStock(shop.stock(ink), 1, 0);
        assertThat(shop.payments(orderId)).as("no payment is asked for goods that are missing").isZero();
    }

    @Test
    void aDeclinedPaymentRejectsTheOrderAndReleasesItsStock() {
        String customer = shop.customer("50000.00");
        String lamp = shop.product("Crystal lamp", "10000.50");
        shop.receive(lamp, 3);
        long version = stockVersion(lamp);

        String orderId = shop.place(customer, line(lamp, 1));

        JsonNode rejected = shop.awaitOrderStatus(orderId, "REJECTED");
        assertThat(rejected.get("history").get(1).get("reason").asText()).isEqualTo("payment declined");
        shop.awaitPayment(orderId, "DECLINED");
        JsonNode workflow = shop.awaitWorkflowStatus(orderId, "COMPENSATED");
        Map<String, String> steps = steps(workflow);
        assertThat(steps).containsEntry("reserve-stock", "COMPLETED").containsEntry("authorize-payment", "FAILED")
                .containsEntry("release-stock", "COMPLETED").containsEntry("reject-order", "COMPLETED");
        assertThat(steps).doesNotContainKeys("confirm-order", "create-shipment");
        shop.awaitStock(lamp, s -> stockVersion(lamp) == version + 2);
        assertStock(shop.stock(lamp), 3, 0);
    }

    @Test
    void aPaymentLeftUnansweredCancelsTheOrderForPaymentTimeoutReleasesTheStockAndVoidsThePayment() {
        String customer = shop.customer("100000.00");
        String ring = shop.product("Diamond ring", "60000.00");
        shop.receive(ring, 2);
        long version = stockVersion(ring);

        String orderId = shop.place(customer, line(ring, 1));

        shop.awaitPayment(orderId, "AUTHORIZATION_PENDING");
        JsonNode cancelled = shop.awaitOrderStatus(orderId, "CANCELLED");
        assertThat(cancelled.get("history").get(1).get("reason").asText()).isEqualTo("payment timeout");
        shop.awaitPayment(orderId, "VOIDED");
        JsonNode workflow = shop.awaitWorkflowStatus(orderId, "COMPENSATED");
        assertThat(steps(workflow)).containsExactly(Map.entry("reserve-stock", "COMPLETED"),
                Map.entry("authorize-payment", "FAILED"), Map.entry("release-stock", "COMPLETED"),
                Map.entry("cancel-payment", "COMPLETED"), Map.entry("cancel-order", "COMPLETED"));
        assertThat(workflow.get("steps").get(1).get("error").asText()).isEqualTo("payment timeout");
        shop.awaitStock(ring, s -> stockVersion(ring) == version + 2);
        assertStock(shop.stock(ring), 2, 0);
    }

    @Test
    void aCustomerCancellingAConfirmedOrderGetsItCancelledWithTheStockReleasedAndThePaymentVoided() {
        String customer = shop.customer("1000.00");
        String pen = shop.product("Pen", "4.00");
        shop.receive(pen, 4);
        String orderId = shop.place(customer, line(pen, 3));
        shop.awaitOrderStatus(orderId, "CONFIRMED");
        shop.awaitPayment(orderId, "AUTHORIZED");
        shop.awaitStock(pen, s -> s.get("reserved").asInt() == 3);

        Http.Response cancelled = shop.asOwnerOf(orderId).post("/api/orders/" + orderId + "/cancellation",
                "{\"reason\": \"changed my mind\"}");

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
        JsonNode order = shop.awaitOrderStatus(orderId, "CANCELLED");
        assertThat(order.get("history")).extracting(h -> h.get("status").asText())
                .containsExactly("PENDING", "CONFIRMED", "CANCELLED");
        assertThat(order.get("history").get(2).get("reason").asText()).isEqualTo("changed my mind");
        shop.awaitPayment(orderId, "VOIDED");
        assertStock(shop.awaitStock(pen, s -> s.get("reserved").asInt() == 0), 4, 0);
        JsonNode workflow = shop.awaitWorkflowStatus(orderId, "COMPENSATED");
        Map<String, String> steps = steps(workflow);
        assertThat(steps).containsEntry("await-dispatch", "FAILED").containsEntry("release-stock", "COMPLETED")
                .containsEntry("cancel-payment", "COMPLETED").doesNotContainKey("cancel-order");
        assertThat(workflow.get("steps").get(4).get("error").asText()).isEqualTo("order cancelled");
    }

    @Test
    void cancellingAfterDispatchIsA409AndTheSagaCarriesOnToDelivery() {
        String customer = shop.customer("1000.00");
        String pen = shop.product("Pen", "1.50");
        shop.receive(pen, 3);
        String orderId = shop.place(customer, line(pen, 1));
        shop.awaitOrderStatus(orderId, "CONFIRMED");
        String shipmentId = shop.awaitShipment(orderId, s -> true).get("shipmentId").asText();
        assertThat(shop.http().post("/api/shipments/" + shipmentId + "/dispatch", null).status()).isEqualTo(204);
        shop.awaitOrderStatus(orderId, "SHIPPED");
        shop.awaitWorkflow(orderId, w -> "await-delivery".equals(w.get("currentStep").asText()));
        long before = eventCount();

        Http.Response response = shop.asOwnerOf(orderId).post("/api/orders/" + orderId + "/cancellation", "{\"reason\": \"too late\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).as("a refused cancellation writes nothing").isEqualTo(before);
        assertThat(shop.http().post("/api/shipments/" + shipmentId + "/delivery", null).status()).isEqualTo(204);
        shop.awaitOrderStatus(orderId, "DELIVERED");
        shop.awaitPayment(orderId, "CAPTURED");
        shop.awaitWorkflowStatus(orderId, "COMPLETED");
    }

    /** Step name to status, in the saga's order. */
    private static Map<String, String> steps(JsonNode workflow) {
        Map<String, String> steps = new LinkedHashMap<>();
        workflow.get("steps").forEach(s -> steps.put(s.get("name").asText(), s.get("status").asText()));
        return steps;
    }

    private static void assertStock(JsonNode stock, int onHand, int reserved) {
        assertThat(stock.get("onHand").asInt()).as(stock.toString()).isEqualTo(onHand);
        assertThat(stock.get("reserved").asInt()).as(stock.toString()).isEqualTo(reserved);
        assertThat(stock.get("available").asInt()).as(stock.toString()).isEqualTo(onHand - reserved);
    }

    /** The stock level's version, from its ETag: each reservation, release or commit adds one. */
    private long stockVersion(String productId) {
        String etag = shop.http().get("/api/inventory/" + productId).header("ETag");
        return Long.parseLong(etag.replace("\"", ""));
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }
}
