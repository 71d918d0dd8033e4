package org.orderly.app.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.orderly.app.support.ApiAssertions.fields;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.inventory.CommitStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.order.OrderId;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class InventoryApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    CommandGateway commands;
    /** Staff: they receive stock and add the products it is for. */
    Http http;

    @BeforeEach
    void setUp() {
        http = new Identities(port).staff();
    }

    @Test
    void receiptsOfACatalogProductAddUpOnHandAndMoveTheETag() {
        String id = catalogProduct();

        Http.Response received = receive(id, "10");
        assertThat(received.status()).as(received.toString()).isEqualTo(204);
        JsonNode stock = awaitStock(id, s -> true);
        assertThat(stock.get("productId").asText()).isEqualTo(id);
        assertThat(stock.get("onHand").asInt()).isEqualTo(10);
        assertThat(stock.get("reserved").asInt()).isZero();
        assertThat(stock.get("available").asInt()).isEqualTo(10);
        assertThat(http.get("/api/inventory/" + id).header("ETag")).isEqualTo("\"0\"");

        assertThat(receive(id, "5").status()).isEqualTo(204);
        assertThat(awaitStock(id, s -> s.get("onHand").asInt() == 15).get("available").asInt()).isEqualTo(15);
        assertThat(http.get("/api/inventory/" + id).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void reservationsShowAsReservedUntilReleasedOrCommitted() {
        String id = catalogProduct();
        ProductId product = ProductId.of(id);
        assertThat(receive(id, "10").status()).isEqualTo(204);
        OrderId released = OrderId.newId();
        OrderId shipped = OrderId.newId();

        commands.sendAndWait(new ReserveStockCommand(product, released, 4));
        commands.sendAndWait(new ReserveStockCommand(product, shipped, 3));
        JsonNode reserved = awaitStock(id, s -> s.get("reserved").asInt() == 7);
        assertThat(reserved.get("onHand").asInt()).isEqualTo(10);
        assertThat(reserved.get("available").asInt()).isEqualTo(3);

        commands.sendAndWait(new ReleaseStockCommand(product, released));
        commands.sendAndWait(new CommitStockCommand(product, shipped));
        JsonNode after = awaitStock(id, s -> s.get("reserved").asInt() == 0);
        assertThat(after.get("onHand").asInt()).isEqualTo(7);
        assertThat(after.get("available").asInt()).isEqualTo(7);
        assertThat(http.get("/api/inventory/" + id).header("ETag")).isEqualTo("\"4\"");
    }

    @Test
    void aReservationBeyondWhatIsAvailableIsRecordedAsRejectedAndReservesNothing() {
        String id = catalogProduct();
        assertThat(receive(id, "2").status()).isEqualTo(204);
        OrderId order = OrderId.newId();

        commands.sendAndWait(new ReserveStockCommand(ProductId.of(id), order, 3));

        assertThat(eventStore.queryForList("""
                SELECT payload_type FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, String.class, "inventory:" + id)).containsExactly(
                "org.orderly.api.inventory.StockReceivedEvent",
                "org.orderly.api.inventory.StockReservationRejectedEvent");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> "\"1\"".equals(http.get("/api/inventory/" + id).header("ETag")));
        JsonNode stock = http.get("/api/inventory/" + id).json();
        assertThat(stock.get("onHand").asInt()).isEqualTo(2);
        assertThat(stock.get("reserved").asInt()).isZero();
        assertThat(stock.get("available").asInt()).isEqualTo(2);
    }

    @Test
    void stockLivesInAStreamOfItsOwnSoTheProductsVersionDoesNotMove() {
        String id = catalogProduct();
        assertThat(receive(id, "3").status()).isEqualTo(204);
        assertThat(receive(id, "4").status()).isEqualTo(204);
        awaitStock(id, s -> s.get("onHand").asInt() == 7);

        assertThat(http.get("/api/products/" + id).header("ETag")).isEqualTo("\"0\"");
        assertThat(http.put("/api/products/" + id + "/name", "{\"name\": \"Renamed\"}", "If-Match", "\"0\"").status())
                .isEqualTo(204);
    }

    @Test
    void receivingStockOfAProductTheCatalogDoesNotKnowIsA404AndWritesNothing() {
        long before = eventCount();

        Http.Response response = receive(UUID.randomUUID().toString(), "5");

        assertProblem(response, 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void theStockOfAProductNeverReceivedOrUnknownIsA404() {
        assertProblem(http.get("/api/inventory/" + catalogProduct()), 404);
        assertProblem(http.get("/api/inventory/" + UUID.randomUUID()), 404);

        Http.Response notAUuid = http.get("/api/inventory/not-a-uuid");
        assertProblem(notAUuid, 400);
        assertThat(fields(notAUuid)).containsExactly("productId");
    }

    @Test
    void aQuantityBelowOneOrNotAWholeNumberIsA400NamingItAndWritesNothing() {
        String id = catalogProduct();
        long before = eventCount();

        for (String quantity : List.of("0", "-1", "2.5", "\"many\"", "null")) {
            Http.Response response = receive(id, quantity);
            assertProblem(response, 400);
            assertThat(fields(response)).as("quantity " + quantity).containsExactly("quantity");
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void reservingStockOfAProductNeverReceivedIsRefusedAsNotFound() {
        long before = eventCount();

        CommandExecutionException refused = catchThrowableOfType(CommandExecutionException.class,
                () -> commands.sendAndWait(new ReserveStockCommand(ProductId.newId(), OrderId.newId(), 1)));

        assertThat(refused).isNotNull();
        assertThat(refused.getDetails()).get().isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
        assertThat(eventCount()).isEqualTo(before);
    }

    /** A product as the catalog's read model knows it, which is what a receipt checks against. */
    private String catalogProduct() {
        Http.Response created = http.post("/api/products", "{\"sku\": \"INV-" + UUID.randomUUID()
                + "\", \"name\": \"Crate\", \"price\": {\"amount\": \"5.00\", \"currency\": \"EUR\"}, \"weightGrams\": 900}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("productId").asText();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("/api/products/" + id).status() == 200);
        return id;
    }

    private Http.Response receive(String productId, String quantity) {
        return http.post("/api/inventory/" + productId + "/receipts", "{\"quantity\": " + quantity + "}");
    }

    private JsonNode awaitStock(String id, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/inventory/" + id, condition);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

}
