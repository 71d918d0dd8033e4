package org.orderly.app.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.orderly.app.support.CartTestSupport.add;
import static org.orderly.app.support.CartTestSupport.added;
import static org.orderly.app.support.CartTestSupport.awaitCart;
import static org.orderly.app.support.CartTestSupport.line;
import static org.orderly.app.support.CartTestSupport.open;
import static org.orderly.app.support.CartTestSupport.read;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.CartTestSupport;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;

/**
 * The cart over its REST API, on the whole application: a customer's one active cart, its lines at the cart
 * domain's copy of the catalog's current prices (a price change reaching the cart and flagging the line), the stock
 * flag, the refusals (none of which writes anything) and who may see and change a cart. Expiry, across a restart,
 * and the retention of expired carts are in {@link CartExpiryIT}.
 */
@OrderlyIntegrationTest
class CartIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    MeterRegistry meters;
    Identities identities;
    Shop shop;
    Http staff;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
        staff = shop.http();
    }

    private long eventsOf(String aggregateId) {
        return eventStore.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    @Test
    void aCustomerHasOneActiveCartWhichOpeningAgainAnswersEvenInParallel() throws Exception {
        Http ada = identities.customer("Ada").http();
        Http.Response first = ada.post("/api/carts", null);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String cartId = first.json().get("cartId").asText();
        Http.Response again = ada.post("/api/carts", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("cartId").asText()).isEqualTo(cartId);
        JsonNode cart = read(ada, cartId, first);
        assertThat(cart.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cart.get("lines")).isEmpty();
        assertThat(cart.get("total").isNull()).isTrue();

        Http grace = identities.customer("Grace").http();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Http.Response>> opens = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opens.add(() -> grace.post("/api/carts", null));
            }
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> answer : pool.invokeAll(opens)) {
                answers.add(answer.get());
            }
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(200, 201));
            assertThat(answers.stream().map(a -> a.json().get("cartId").asText()).distinct()).hasSize(1);
            assertThat(answers.stream().filter(a -> a.status() == 201)).as("one cart opened").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linesAreAddedChangedRemovedAndClearedAndShowCurrentNamesPricesAndTheTotal() {
        String pen = shop.product("Cart pen", "1.50");
        String ink = shop.product("Cart ink", "7.00");
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);

        added(ada, cartId, pen, 2);
        added(ada, cartId, ink, 1);
        Http.Response more = add(ada, cartId, pen, 1);
        assertThat(more.status()).as(more.toString()).isEqualTo(204);
        JsonNode cart = read(ada, cartId, more);
        assertThat(cart.get("lines")).hasSize(2);
        assertThat(cart.get("lines").get(0).get("productId").asText()).as("in the order added").isEqualTo(pen);
        JsonNode penLine = line(cart, pen);
        assertThat(penLine.get("name").asText()).isEqualTo("Cart pen");
        assertThat(penLine.get("quantity").asInt()).isEqualTo(3);
        assertThat(penLine.get("unitPrice").get("amount").asText()).isEqualTo("1.50");
        assertThat(penLine.get("lineTotal").get("amount").asText()).isEqualTo("4.50");
        assertThat(penLine.get("priceChanged").asBoolean()).isFalse();
        assertThat(cart.get("total").get("amount").asText()).isEqualTo("11.50");
        assertThat(cart.get("total").get("currency").asText()).isEqualTo("EUR");

        Http.Response changed = ada.put("/api/carts/" + cartId + "/lines/" + ink, "{\"quantity\": 4}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(read(ada, cartId, changed).get("total").get("amount").asText()).isEqualTo("32.50");

        Http.Response removed = ada.request("DELETE", "/api/carts/" + cartId + "/lines/" + pen, null);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        cart = read(ada, cartId, removed);
        assertThat(cart.get("lines")).hasSize(1);
        assertThat(cart.get("total").get("amount").asText()).isEqualTo("28.00");

        Http.Response cleared = ada.request("DELETE", "/api/carts/" + cartId + "/lines", null);
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(204);
        cart = read(ada, cartId, cleared);
        assertThat(cart.get("lines")).isEmpty();
        assertThat(cart.get("total").isNull()).isTrue();
        assertThat(cart.get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aPriceChangeInTheCatalogReachesTheCartAndFlagsTheLine() {
        String pen = shop.product("Repriced pen", "2.00");
        String ink = shop.product("Steady ink", "3.00");
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);
        added(ada, cartId, pen, 2);
        added(ada, cartId, ink, 1);

        assertThat(staff.put("/api/products/" + pen + "/price", "{\"amount\": \"2.50\", \"currency\": \"EUR\"}").status())
                .isEqualTo(204);
        assertThat(staff.put("/api/products/" + pen + "/name", "{\"name\": \"Repriced fountain pen\"}").status())
                .isEqualTo(204);

        JsonNode cart = awaitCart(ada, cartId, c -> line(c, pen).get("name").asText().equals("Repriced fountain pen"));
        JsonNode penLine = line(cart, pen);
        assertThat(penLine.get("unitPrice").get("amount").asText()).isEqualTo("2.50");
        assertThat(penLine.get("addedPrice").get("amount").asText()).isEqualTo("2.00");
        assertThat(penLine.get("priceChanged").asBoolean()).isTrue();
        assertThat(penLine.get("lineTotal").get("amount").asText()).isEqualTo("5.00");
        assertThat(line(cart, ink).get("priceChanged").asBoolean()).isFalse();
        assertThat(cart.get("total").get("amount").asText()).isEqualTo("8.00");

        // Adding the product again takes the new price: the flag goes.
        Http.Response again = add(ada, cartId, pen, 1);
        assertThat(again.status()).as(again.toString()).isEqualTo(204);
        JsonNode readded = line(read(ada, cartId, again), pen);
        assertThat(readded.get("priceChanged").asBoolean()).isFalse();
        assertThat(readded.get("quantity").asInt()).isEqualTo(3);
    }

    @Test
    void aQuantityBeyondTheAvailableStockIsAcceptedButFlagged() {
        String pen = shop.product("Scarce pen", "1.00");
        shop.receive(pen, 3);
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);

        added(ada, cartId, pen, 5);
        JsonNode flagged = line(awaitCart(ada, cartId, c -> !line(c, pen).get("available").isNull()), pen);
        assertThat(flagged.get("available").asInt()).isEqualTo(3);
        assertThat(flagged.get("beyondStock").asBoolean()).isTrue();

        Http.Response fewer = ada.put("/api/carts/" + cartId + "/lines/" + pen, "{\"quantity\": 3}");
        assertThat(fewer.status()).isEqualTo(204);
        assertThat(line(read(ada, cartId, fewer), pen).get("beyondStock").asBoolean()).isFalse();

        String unstocked = shop.product("Unstocked pen", "1.00");
        Http.Response unstockedAdded = add(ada, cartId, unstocked, 1);
        assertThat(unstockedAdded.status()).as(unstockedAdded.toString()).isEqualTo(204);
        JsonNode none = line(read(ada, cartId, unstockedAdded), unstocked);
        assertThat(none.get("available").isNull()).isTrue();
        assertThat(none.get("beyondStock").asBoolean()).as("no stock known is none available").isTrue();
    }

    @Test
    void anUnknownOrDiscontinuedProductIsRefusedWith422AndNothingIsWritten() {
        String ink = shop.product("Soon gone ink", "4.00");
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);
        long before = eventsOf(cartId);

        Http.Response unknown = add(ada, cartId, UUID.randomUUID().toString(), 1);
        assertProblem(unknown, 422);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("productId");
        assertThat(unknown.json().get("detail").asText()).contains("does not exist");

        assertThat(staff.post("/api/products/" + ink + "/discontinuation", null).status()).isEqualTo(204);
        Http.Response discontinued = add(ada, cartId, ink, 1);
        assertProblem(discontinued, 422);
        assertThat(discontinued.json().get("detail").asText()).contains("discontinued");
        assertThat(eventsOf(cartId)).isEqualTo(before);
        assertThat(read(ada, cartId, null).get("lines")).isEmpty();
    }

    @Test
    void badInputIsA400NamingTheFieldAndAChangeToWhatIsNotThereIsA404() {
        String pen = shop.product("Picky pen", "1.00");
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);
        added(ada, cartId, pen, 1);
        long before = eventsOf(cartId);

        Http.Response zero = ada.post("/api/carts/" + cartId + "/lines", Shop.line(pen, 0));
        assertProblem(zero, 400);
        assertThat(zero.body()).contains("\"field\":\"quantity\"");
        Http.Response noProduct = ada.post("/api/carts/" + cartId + "/lines", "{\"quantity\": 1}");
        assertProblem(noProduct, 400);
        assertThat(noProduct.body()).contains("\"field\":\"productId\"");
        Http.Response tooMany = ada.put("/api/carts/" + cartId + "/lines/" + pen, "{\"quantity\": 10001}");
        assertProblem(tooMany, 400);
        assertThat(tooMany.body()).contains("\"field\":\"quantity\"");
        assertProblem(ada.put("/api/carts/not-a-uuid/lines/" + pen, "{\"quantity\": 1}"), 400);

        assertProblem(ada.put("/api/carts/" + cartId + "/lines/" + UUID.randomUUID(), "{\"quantity\": 2}"), 404);
        assertProblem(ada.request("DELETE", "/api/carts/" + cartId + "/lines/" + UUID.randomUUID(), null), 404);
        assertProblem(ada.request("DELETE", "/api/carts/" + UUID.randomUUID() + "/lines", null), 404);
        assertProblem(ada.get("/api/carts/" + UUID.randomUUID()), 404);
        assertThat(eventsOf(cartId)).isEqualTo(before);
    }

    @Test
    void aCustomerSeesAndChangesOnlyTheirOwnCartAndStaffMayReadButNotChangeIt() {
        String pen = shop.product("Private pen", "1.00");
        Http ada = identities.customer("Ada").http();
        Http bob = identities.customer("Bob").http();
        String cartId = open(ada);
        Http.Response mine = add(ada, cartId, pen, 1);
        assertThat(mine.status()).isEqualTo(204);
        read(ada, cartId, mine);
        long before = eventsOf(cartId);

        assertProblem(bob.get("/api/carts/" + cartId), 404);
        assertProblem(add(bob, cartId, pen, 1), 404);
        assertProblem(bob.put("/api/carts/" + cartId + "/lines/" + pen, "{\"quantity\": 9}"), 404);
        assertProblem(bob.request("DELETE", "/api/carts/" + cartId + "/lines/" + pen, null), 404);
        assertProblem(bob.request("DELETE", "/api/carts/" + cartId + "/lines", null), 404);
        assertThat(open(bob)).as("Bob's own cart").isNotEqualTo(cartId);

        assertThat(staff.get("/api/carts/" + cartId).json().get("lines")).hasSize(1);
        assertProblem(staff.post("/api/carts/" + cartId + "/lines", Shop.line(pen, 1)), 403);
        assertProblem(staff.post("/api/carts", null), 403);
        assertProblem(identities.anonymous().get("/api/carts/" + cartId), 401);
        assertThat(eventsOf(cartId)).isEqualTo(before);
    }

    @Test
    void aCatalogCopyThatCannotCatchUpRefusesTheAddWith503AndWritesNothingAndItsLagIsMeasured() {
        String pen = shop.product("Copied pen", "1.00");
        Http ada = identities.customer("Ada").http();
        String cartId = open(ada);
        added(ada, cartId, pen, 1);
        for (String copy : List.of("carts", "cart-product-copies", "cart-stock-copies")) {
            assertThat(meters.find("orderly.processor.lag.events").tag("processor", copy).tag("domain", "cart").gauge())
                    .as("lag of " + copy).isNotNull();
        }
        StreamingEventProcessor copies = processing
                .eventProcessor("cart-product-copies", StreamingEventProcessor.class).orElseThrow();
        copies.shutDown();
        try {
            String fresh = shop.product("Fresh pen", "1.00");
            long before = eventsOf(cartId);

            Http.Response waiting = ada.post("/api/carts/" + cartId + "/lines", Shop.line(fresh, 1));

            assertProblem(waiting, 503);
            assertThat(waiting.header("Retry-After")).isNotBlank();
            assertThat(eventsOf(cartId)).isEqualTo(before);
            copies.start();
            added(ada, cartId, fresh, 1);
        } finally {
            if (!copies.isRunning()) {
                copies.start();
            }
        }
    }
}
