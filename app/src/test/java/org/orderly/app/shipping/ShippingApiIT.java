package org.orderly.app.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.AddProductCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentLine;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shipping on the real application. Products are added through the catalog's command, so their weights are
 * in the event store, where the shipping domain reads them when it creates a shipment.
 */
@OrderlyIntegrationTest
class ShippingApiIT {

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate eventStore;
    /** Staff: they run the warehouse and read every shipment. */
    Http http;

    @BeforeEach
    void setUp() {
        http = new Identities(port).staff();
    }

    @Test
    void theShippingDomainGivesEachLineTheWeightTheCatalogFixedAndCreatingAgainIsANoOp() {
        ProductId book = product(450);
        ProductId lamp = product(1800);
        ShipmentId id = ShipmentId.newId();
        OrderId orderId = OrderId.newId();
        CreateShipmentCommand create = new CreateShipmentCommand(id, orderId,
                List.of(new ShipmentLine(book, 2), new ShipmentLine(lamp, 1)));

        commands.sendAndWait(create);

        JsonNode shipment = awaitShipment(id, s -> true);
        assertThat(shipment.get("shipmentId").asText()).isEqualTo(id.toString());
        assertThat(shipment.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(shipment.get("status").asText()).isEqualTo("CREATED");
        assertThat(items(shipment)).containsExactly(book + " x2 @450g", lamp + " x1 @1800g");
        assertThat(http.get("/api/shipments/" + id).header("ETag")).isEqualTo("\"0\"");

        // Sent again (its sender lost the answer): nothing more is written.
        long before = eventCount();
        commands.sendAndWait(create);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aProductTheCatalogNeverAddedIsRefusedNamingItsLineAndNothingIsWritten() {
        ProductId known = product(300);
        ProductId unknown = ProductId.newId();
        long before = eventCount();

        assertThatThrownBy(() -> commands.sendAndWait(new CreateShipmentCommand(ShipmentId.newId(), OrderId.newId(),
                List.of(new ShipmentLine(known, 1), new ShipmentLine(unknown, 1)))))
                .isInstanceOfSatisfying(CommandExecutionException.class, e -> {
                    Refusal refusal = e.getDetails().map(Refusal.class::cast).orElseThrow();
                    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.UNPROCESSABLE);
                    assertThat(refusal.field()).isEqualTo("lines[1].productId");
                });
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aShipmentIsDispatchedAndDeliveredOverRest() {
        ShipmentId id = created();

        Http.Response dispatched = http.post("/api/shipments/" + id + "/dispatch", null, "If-Match", "\"0\"");
        assertThat(dispatched.status()).as(dispatched.toString()).isEqualTo(204);
        awaitShipment(id, s -> s.get("status").asText().equals("DISPATCHED"));
        assertThat(http.get("/api/shipments/" + id).header("ETag")).isEqualTo("\"1\"");

        Http.Response delivered = http.post("/api/shipments/" + id + "/delivery", null, "If-Match", "\"1\"");
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(204);
        awaitShipment(id, s -> s.get("status").asText().equals("DELIVERED"));
        assertThat(http.get("/api/shipments/" + id).header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void wrongTransitionsAre409AndWriteNothing() {
        ShipmentId id = created();
        long before = eventCount();
        assertProblem(http.post("/api/shipments/" + id + "/delivery", null), 409);
        assertThat(eventCount()).isEqualTo(before);

        assertThat(http.post("/api/shipments/" + id + "/dispatch", null).status()).isEqualTo(204);
        before = eventCount();
        assertProblem(http.post("/api/shipments/" + id + "/dispatch", null), 409);
        assertThat(eventCount()).isEqualTo(before);

        assertThat(http.post("/api/shipments/" + id + "/delivery", null).status()).isEqualTo(204);
        before = eventCount();
        assertProblem(http.post("/api/shipments/" + id + "/delivery", null), 409);
        assertProblem(http.post("/api/shipments/" + id + "/dispatch", null), 409);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aStaleIfMatchIs409AndAMalformedOneIs400NamingTheHeader() {
        ShipmentId id = created();
        long before = eventCount();

        Http.Response stale = http.post("/api/shipments/" + id + "/dispatch", null, "If-Match", "\"3\"");
        assertProblem(stale, 409);
        assertThat(stale.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");

        Http.Response malformed = http.post("/api/shipments/" + id + "/dispatch", null, "If-Match", "soon");
        assertProblem(malformed, 400);
        assertThat(malformed.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anUnknownShipmentIs404ForQueriesAndCommands() {
        String unknown = UUID.randomUUID().toString();
        long before = eventCount();

        assertProblem(http.get("/api/shipments/" + unknown), 404);
        assertProblem(http.post("/api/shipments/" + unknown + "/dispatch", null), 404);
        assertProblem(http.post("/api/shipments/" + unknown + "/delivery", null), 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aMalformedIdOrFilterIs400NamingIt() {
        Http.Response get = http.get("/api/shipments/not-a-uuid");
        assertProblem(get, 400);
        assertThat(get.json().get("errors").get(0).get("field").asText()).isEqualTo("shipmentId");

        Http.Response dispatch = http.post("/api/shipments/not-a-uuid/dispatch", null);
        assertProblem(dispatch, 400);
        assertThat(dispatch.json().get("errors").get(0).get("field").asText()).isEqualTo("shipmentId");

        Http.Response list = http.get("/api/shipments?orderId=nope");
        assertProblem(list, 400);
        assertThat(list.json().get("errors").get(0).get("field").asText()).isEqualTo("orderId");
    }

    @Test
    void theListFiltersByOrderAndPagesWithACursor() {
        ProductId product = product(120);
        OrderId orderId = OrderId.newId();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ShipmentId id = ShipmentId.newId();
            commands.sendAndWait(new CreateShipmentCommand(id, orderId, List.of(new ShipmentLine(product, i + 1))));
            mine.add(id.toString());
        }
        ShipmentId other = created();
        mine.forEach(id -> awaitShipment(ShipmentId.of(id), s -> true));

        List<String> seen = new ArrayList<>();
        List<JsonNode> pages = http.pages("/api/shipments?orderId=" + orderId + "&limit=2");
        for (JsonNode page : pages) {
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(item -> {
                assertThat(item.get("orderId").asText()).isEqualTo(orderId.toString());
                assertThat(item.get("items")).hasSize(1);
                seen.add(item.get("shipmentId").asText());
            });
        }

        assertThat(pages).hasSize(2);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(mine).isSorted().doesNotContain(other.toString());
    }

    private ShipmentId created() {
        ProductId product = product(700);
        ShipmentId id = ShipmentId.newId();
        commands.sendAndWait(new CreateShipmentCommand(id, OrderId.newId(), List.of(new ShipmentLine(product, 1))));
        awaitShipment(id, s -> true);
        return id;
    }

    /** A product the catalog added: its weight is in its ProductAddedEvent in the event store. */
    private ProductId product(int weightGrams) {
        ProductId id = ProductId.newId();
        commands.sendAndWait(new AddProductCommand(id, "SKU-" + id, "Product " + id, Money.of("9.99", "EUR"), weightGrams));
        return id;
    }

    private JsonNode awaitShipment(ShipmentId id, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/shipments/" + id, condition);
    }

    private static List<String> items(JsonNode shipment) {
        List<String> items = new ArrayList<>();
        shipment.get("items").forEach(i -> items.add(i.get("productId").asText() + " x" + i.get("quantity").asInt()
                + " @" + i.get("weightGrams").asInt() + "g"));
        return items;
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

}
