package org.orderly.app.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.Shop.line;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.Shop;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stops the application while orders are mid-flight (sagas waiting for stock, for the payment provider, on
 * deadlines) and starts it again on the same database. The sagas' state and their persisted deadlines must
 * carry every order to its end, and stock and payments must agree with how the orders ended.
 */
class FulfilmentRestartIT {

    private static final Set<String> CLOSED = Set.of("REJECTED", "CANCELLED", "DELIVERED");

    /** An order as placed: its lines, product id to quantity. */
    private record Placed(String orderId, Map<String, Integer> lines) {
    }

    @Test
    void ordersMidFlightWhenTheApplicationStopsAllReachTheirEndAfterItStartsAgain() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        List<Placed> orders = new ArrayList<>();
        Map<String, Integer> received = new LinkedHashMap<>();
        String pen;
        String ink;
        String ring;
        String lamp;

        try (ConfigurableApplicationContext first = start(OrderlyTestDatabase.keptOnStop(database))) {
            Shop shop = new Shop(identities(first));
            String customer = shop.customer("1000000.00");
            pen = shop.product("Pen", "5.00");
            ink = shop.product("Ink", "3.00");
            ring = shop.product("Diamond ring", "60000.00"); // the simulated provider never answers
            lamp = shop.product("Crystal lamp", "10000.50"); // the simulated provider declines
            received.putAll(Map.of(pen, 40, ink, 4, ring, 5, lamp, 2));
            received.forEach(shop::receive);

            for (int i = 1; i <= 5; i++) {
                orders.add(place(shop, customer, Map.of(pen, i, ink, 1))); // five orders for four inks: one is short
            }
            orders.add(place(shop, customer, Map.of(lamp, 1)));
            for (int i = 0; i < 3; i++) {
                orders.add(place(shop, customer, Map.of(ring, 1)));
            }
            // The ring orders wait on a 3 s payment deadline, so their sagas are surely still alive here.
            JdbcTemplate sagas = first.getBean(DomainStores.class).get("sagas").jdbc();
            assertThat(sagas.queryForObject("SELECT count(*) FROM saga_entry", Long.class))
                    .as("sagas in flight at the stop").isPositive();
            assertThat(sagas.queryForObject("SELECT count(*) FROM scheduled_tasks", Long.class))
                    .as("deadlines pending at the stop").isPositive();
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Shop shop = new Shop(identities(second));
            Map<String, JsonNode> settled = new LinkedHashMap<>();
            for (Placed order : orders) {
                settled.put(order.orderId(), awaitSettled(shop, order.orderId()));
            }

            // Confirmed orders still hold their stock; closed ones hold none.
            assertReservedStockMatches(shop, orders, settled, received);

            for (Placed order : orders) {
                if (settled.get(order.orderId()).get("status").asText().equals("CONFIRMED")) {
                    String shipment = shop.awaitShipment(order.orderId(), s -> true).get("shipmentId").asText();
                    assertThat(shop.http().post("/api/shipments/" + shipment + "/dispatch", null).status()).isEqualTo(204);
                    assertThat(shop.http().post("/api/shipments/" + shipment + "/delivery", null).status()).isEqualTo(204);
                    settled.put(order.orderId(), shop.awaitOrderStatus(order.orderId(), "DELIVERED"));
                }
            }

            Map<String, Integer> delivered = new HashMap<>();
            for (Placed order : orders) {
                JsonNode end = settled.get(order.orderId());
                String status = end.get("status").asText();
                assertThat(CLOSED).as("order " + order.orderId() + " ended").contains(status);
                JsonNode workflow = shop.awaitWorkflow(order.orderId(),
                        w -> Set.of("COMPLETED", "COMPENSATED").contains(w.get("status").asText()));
                assertThat(workflow.get("status").asText()).isEqualTo(status.equals("DELIVERED") ? "COMPLETED" : "COMPENSATED");
                if (status.equals("DELIVERED")) {
                    shop.awaitPayment(order.orderId(), "CAPTURED");
                    order.lines().forEach((product, quantity) -> delivered.merge(product, quantity, Integer::sum));
                } else {
                    assertThat(lastReason(end)).as("a closed order says why").isNotBlank();
                    assertNoMoneyHeld(shop, order.orderId());
                }
            }
            assertThat(orders.subList(6, 9)).as("the silent provider's orders time out across the restart")
                    .allSatisfy(o -> assertThat(settled.get(o.orderId()).get("status").asText() + ": "
                            + lastReason(settled.get(o.orderId()))).isEqualTo("CANCELLED: payment timeout"));
            // Declined, or, when the stop came between the payment's request and the provider's call, timed out.
            JsonNode lampOrder = settled.get(orders.get(5).orderId());
            assertThat(lampOrder.get("status").asText() + ": " + lastReason(lampOrder))
                    .isIn("REJECTED: payment declined", "CANCELLED: payment timeout");

            // Every order is closed now: nothing is reserved, and only delivered goods have left.
            received.forEach((product, quantity) -> {
                int left = quantity - delivered.getOrDefault(product, 0);
                await(product).atMost(Shop.PATIENCE).untilAsserted(() -> {
                    JsonNode stock = shop.stock(product);
                    assertThat(stock.get("reserved").asInt()).as(stock.toString()).isZero();
                    assertThat(stock.get("onHand").asInt()).as(stock.toString()).isEqualTo(left);
                });
            });
            assertThat(shop.http().get("/api/workflows?type=order-fulfilment&stuck=true").json().get("items")).isEmpty();
        }
    }

    private static String lastReason(JsonNode order) {
        JsonNode history = order.get("history");
        JsonNode reason = history.get(history.size() - 1).get("reason");
        return reason == null || reason.isNull() ? null : reason.asText();
    }

    private static Placed place(Shop shop, String customer, Map<String, Integer> lines) {
        Map<String, Integer> ordered = new LinkedHashMap<>(lines);
        String orderId = shop.place(customer, ordered.entrySet().stream()
                .map(l -> line(l.getKey(), l.getValue())).toArray(String[]::new));
        return new Placed(orderId, ordered);
    }

    /** The order once its saga has nothing left to do but wait for the warehouse, or has ended. */
    private static JsonNode awaitSettled(Shop shop, String orderId) {
        shop.awaitWorkflow(orderId, w -> Set.of("COMPLETED", "COMPENSATED").contains(w.get("status").asText())
                || "await-dispatch".equals(w.get("currentStep").asText()));
        JsonNode order = shop.awaitOrder(orderId, o -> CLOSED.contains(o.get("status").asText())
                || o.get("status").asText().equals("CONFIRMED"));
        return order;
    }

    private static void assertReservedStockMatches(Shop shop, List<Placed> orders, Map<String, JsonNode> settled,
                                                   Map<String, Integer> received) {
        Map<String, Integer> open = new HashMap<>();
        orders.stream()
                .filter(o -> settled.get(o.orderId()).get("status").asText().equals("CONFIRMED"))
                .forEach(o -> o.lines().forEach((product, quantity) -> open.merge(product, quantity, Integer::sum)));
        received.forEach((product, quantity) -> await(product).atMost(Shop.PATIENCE).untilAsserted(() -> {
            JsonNode stock = shop.stock(product);
            assertThat(stock.get("reserved").asInt()).as("reserved " + stock).isEqualTo(open.getOrDefault(product, 0));
            assertThat(stock.get("onHand").asInt()).as("on hand " + stock).isEqualTo(quantity);
        }));
    }

    /** A rejected or cancelled order holds no money: no payment, or one declined or voided, never captured. */
    private static void assertNoMoneyHeld(Shop shop, String orderId) {
        await(orderId).atMost(Shop.PATIENCE).untilAsserted(() -> {
            JsonNode payments = shop.http().get("/api/payments?orderId=" + orderId).json().get("items");
            assertThat(payments.size()).isLessThanOrEqualTo(1);
            payments.forEach(p -> assertThat(p.get("status").asText()).as(p.toString())
                    .isIn("DECLINED", "VOIDED", "REFUNDED"));
        });
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        // Command-line arguments: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(database)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0", "--orderly.sagas.fulfilment.payment-timeout=3s",
                        "--orderly.sagas.fulfilment.retry-backoff=200ms",
                        "--orderly.sagas.fulfilment.max-retry-backoff=1s");
    }

    private static Identities identities(ConfigurableApplicationContext context) {
        return new Identities(((org.springframework.boot.web.context.WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
