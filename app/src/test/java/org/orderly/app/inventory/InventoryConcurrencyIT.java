package org.orderly.app.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.order.OrderId;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Many orders racing for the last units of one product, through the real command bus on PostgreSQL. */
@OrderlyIntegrationTest
class InventoryConcurrencyIT {

    private static final int ORDERS = 50;
    private static final int EACH = 3;
    private static final int STOCK = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate eventStore;

    @Test
    void fiftyParallelReservationsNeverReserveMoreThanIsOnHand() throws Exception {
        ProductId product = ProductId.newId();
        commands.sendAndWait(new ReceiveStockCommand(product, STOCK));

        ExecutorService pool = Executors.newFixedThreadPool(ORDERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < ORDERS; i++) {
                OrderId order = OrderId.newId();
                attempts.add(pool.submit(() -> {
                    start.await();
                    commands.sendAndWait(new ReserveStockCommand(product, order, EACH));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> attempt : attempts) {
                attempt.get(120, TimeUnit.SECONDS); // every command is decided, none fails
            }
        } finally {
            pool.shutdownNow();
        }

        List<Map<String, Object>> stream = eventStore.queryForList("""
                SELECT sequence_number, payload_type, convert_from(payload, 'UTF8')::jsonb AS payload
                  FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, "inventory:" + product);
        assertThat(stream).hasSize(1 + ORDERS);

        int onHand = 0;
        int reserved = 0;
        int reservations = 0;
        int rejections = 0;
        for (Map<String, Object> event : stream) {
            String type = (String) event.get("payload_type");
            JsonNode payload = json(event.get("payload"));
            switch (type) {
                case "org.orderly.api.inventory.StockReceivedEvent" -> onHand += payload.get("quantity").asInt();
                case "org.orderly.api.inventory.StockReservedEvent" -> {
                    reserved += payload.get("quantity").asInt();
                    reservations++;
                }
                case "org.orderly.api.inventory.StockReservationRejectedEvent" -> {
                    assertThat(payload.get("requested").asInt()).isEqualTo(EACH);
                    assertThat(payload.get("available").asInt()).isEqualTo(onHand - reserved).isLessThan(EACH);
                    rejections++;
                }
                default -> throw new AssertionError("Unexpected event " + type);
            }
            assertThat(reserved).as("reserved after event " + event.get("sequence_number")).isLessThanOrEqualTo(onHand);
        }
        assertThat(reservations).isEqualTo(33);
        assertThat(rejections).isEqualTo(17);
        assertThat(reserved).isEqualTo(99).isLessThanOrEqualTo(onHand);

        Http http = new Identities(port).staff();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Http.Response stock = http.get("/api/inventory/" + product);
            return stock.status() == 200 && ("\"" + ORDERS + "\"").equals(stock.header("ETag"));
        });
        JsonNode stock = http.get("/api/inventory/" + product).json();
        assertThat(stock.get("onHand").asInt()).isEqualTo(STOCK);
        assertThat(stock.get("reserved").asInt()).isEqualTo(99);
        assertThat(stock.get("available").asInt()).isEqualTo(1);
    }

    /**
     * An item past the snapshot threshold (100 events) is loaded from its snapshot: what it remembers per
     * order (to ignore a redelivery, to release what was reserved) and its counts survive the round trip.
     */
    @Test
    void anItemLoadedFromItsSnapshotRemembersEveryOrdersReservation() {
        ProductId product = ProductId.newId();
        commands.sendAndWait(new ReceiveStockCommand(product, 1000));
        List<OrderId> orders = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            OrderId order = OrderId.newId();
            orders.add(order);
            commands.sendAndWait(new ReserveStockCommand(product, order, 2));
        }
        String aggregate = "inventory:" + product;
        await().atMost(Duration.ofSeconds(10)).until(() -> eventStore.queryForObject(
                "SELECT count(*) FROM event_store.snapshot_event_entry WHERE aggregate_identifier = ?",
                Integer.class, aggregate) > 0);

        commands.sendAndWait(new ReserveStockCommand(product, orders.get(0), 2)); // a redelivery: nothing new
        commands.sendAndWait(new ReleaseStockCommand(product, orders.get(1)));
        commands.sendAndWait(new ReserveStockCommand(product, OrderId.newId(), 800)); // 1000 - 238 = 762 left

        List<Map<String, Object>> tail = eventStore.queryForList("""
                SELECT payload_type, convert_from(payload, 'UTF8')::jsonb AS payload
                  FROM event_store.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number > 120
                 ORDER BY sequence_number
                """, aggregate);
        assertThat(tail).extracting(e -> e.get("payload_type")).containsExactly(
                "org.orderly.api.inventory.StockReleasedEvent",
                "org.orderly.api.inventory.StockReservationRejectedEvent");
        assertThat(json(tail.get(0).get("payload")).get("quantity").asInt()).isEqualTo(2);
        assertThat(json(tail.get(1).get("payload")).get("available").asInt()).isEqualTo(762);
    }

    private static JsonNode json(Object jsonb) {
        try {
            return JSON.readTree(jsonb.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
