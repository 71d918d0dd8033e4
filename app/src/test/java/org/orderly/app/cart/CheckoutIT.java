package org.orderly.app.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.orderly.app.support.CartTestSupport.added;
import static org.orderly.app.support.CartTestSupport.awaitCart;
import static org.orderly.app.support.CartTestSupport.open;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;

/**
 * Checkout over its REST API, on the whole application: a session started from a cart with a snapshot of its
 * lines, the customer's addresses copied into it, a shipping method and its cost, and a confirmation that places
 * the order through the order domain's placement and the fulfilment saga. A confirmed order carries the addresses
 * and the shipping cost and checks the cart out; a rejected one leaves the cart as it was and the session says why;
 * parallel confirmations place one order; and every refusal. Expiry is in {@link CheckoutExpiryIT}.
 */
@OrderlyIntegrationTest
class CheckoutIT {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final String HOME = """
            {"recipientName": "Ada Lovelace", "line1": "12 St James's Square", "postalCode": "SW1Y 4JH",
             "city": "London", "country": "GB"}""";
    static final String OFFICE = """
            {"recipientName": "Analytical Ltd", "line1": "1 Engine Road", "postalCode": "10115",
             "city": "Berlin", "country": "DE"}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Identities identities;
    Shop shop;
    Http staff;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
        staff = shop.http();
    }

    /** A customer with a credit limit, a cart holding two units of a 10.00 EUR pen, and two addresses. */
    private record Buyer(Identities.Customer customer, String cart, String pen, String home, String office) {
        Http http() {
            return customer.http();
        }
    }

    private Buyer buyer(String creditLimit, int penStock) {
        Identities.Customer customer = shop.customer("Ada", creditLimit);
        String pen = shop.product("Checkout pen", "10.00");
        if (penStock > 0) {
            shop.receive(pen, penStock);
        }
        String cart = open(customer.http());
        added(customer.http(), cart, pen, 2);
        return new Buyer(customer, cart, pen, address(customer, HOME), address(customer, OFFICE));
    }

    /** Adds an address and waits until the customer's address book shows it (a checkout copies it from there). */
    private static String address(Identities.Customer customer, String body) {
        String path = "/api/customers/" + customer.id() + "/addresses";
        Http.Response added = customer.http().post(path, body);
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String addressId = added.json().get("addressId").asText();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> customer.http().get(path + "/" + addressId).status() == 200);
        return addressId;
    }

    /** Starts a checkout, retrying while the cart domain has not recorded the cart's latest change (503). */
    private static Http.Response start(Http customer, String cartId) {
        Http.Response[] started = new Http.Response[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            started[0] = customer.post("/api/checkouts", "{\"cartId\": \"" + cartId + "\"}");
            return started[0].status() != 503;
        });
        return started[0];
    }

    private static String started(Http customer, String cartId) {
        Http.Response started = start(customer, cartId);
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        String checkoutId = started.json().get("checkoutId").asText();
        assertThat(started.header("Location")).isEqualTo("/api/checkouts/" + checkoutId);
        return checkoutId;
    }

    private static void put(Http customer, String checkoutId, String what, String body) {
        Http.Response put = customer.put("/api/checkouts/" + checkoutId + "/" + what, body);
        assertThat(put.status()).as(put.toString()).isEqualTo(204);
    }

    /** A session ready to confirm: shipped home, billed to the office, by the given method. */
    private String ready(Buyer buyer, String method) {
        String checkoutId = started(buyer.http(), buyer.cart());
        put(buyer.http(), checkoutId, "shipping-address", "{\"addressId\": \"" + buyer.home() + "\"}");
        put(buyer.http(), checkoutId, "billing-address", "{\"addressId\": \"" + buyer.office() + "\"}");
        put(buyer.http(), checkoutId, "shipping-method", "{\"method\": \"" + method + "\"}");
        return checkoutId;
    }

    /** Confirms, retrying while the order domain's copies are behind (503). */
    private static Http.Response confirm(Http customer, String checkoutId) {
        Http.Response[] confirmed = new Http.Response[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            confirmed[0] = customer.post("/api/checkouts/" + checkoutId + "/confirmation", null);
            return confirmed[0].status() != 503;
        });
        return confirmed[0];
    }

    private static JsonNode awaitCheckout(Http caller, String checkoutId, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response read = caller.get("/api/checkouts/" + checkoutId);
            found[0] = read.status() == 200 ? read.json() : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    private static Predicate<JsonNode> status(String status) {
        return c -> c.get("status").asText().equals(status);
    }

    @Test
    void aConfirmedCheckoutPlacesAnOrderWithTheAddressesAndShippingCostAndChecksTheCartOut() {
        Buyer buyer = buyer("1000.00", 10);
        String checkoutId = ready(buyer, "EXPRESS");

        JsonNode open = awaitCheckout(buyer.http(), checkoutId, c -> !c.get("shippingMethod").isNull()
                && !c.get("billingAddress").isNull() && !c.get("shippingAddress").isNull());
        assertThat(open.get("status").asText()).isEqualTo("OPEN");
        assertThat(open.get("cartId").asText()).isEqualTo(buyer.cart());
        assertThat(open.get("lines")).hasSize(1);
        assertThat(open.get("lines").get(0).get("productId").asText()).isEqualTo(buyer.pen());
        assertThat(open.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(open.get("itemsTotal").get("amount").asText()).isEqualTo("20.00");
        assertThat(open.get("shippingCost").get("amount").asText()).isEqualTo("12.90");
        assertThat(open.get("total").get("amount").asText()).isEqualTo("32.90");
        assertThat(open.get("shippingAddress").get("city").asText()).isEqualTo("London");
        assertThat(open.get("billingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(open.get("orderId").isNull()).isTrue();

        Http.Response confirmed = confirm(buyer.http(), checkoutId);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(202);
        String orderId = confirmed.json().get("orderId").asText();

        JsonNode order = shop.awaitOrderStatus(orderId, "CONFIRMED");
        assertThat(order.get("customerId").asText()).isEqualTo(buyer.customer().id());
        assertThat(order.get("total").get("amount").asText()).as("the lines and the shipping").isEqualTo("32.90");
        assertThat(order.get("shippingCost").get("amount").asText()).isEqualTo("12.90");
        assertThat(order.get("shippingAddress").get("recipientName").asText()).isEqualTo("Ada Lovelace");
        assertThat(order.get("billingAddress").get("city").asText()).isEqualTo("Berlin");
        assertThat(shop.awaitPayment(orderId, "AUTHORIZED").get("amount").get("amount").asText()).isEqualTo("32.90");

        JsonNode done = awaitCheckout(buyer.http(), checkoutId, status("CONFIRMED"));
        assertThat(done.get("orderId").asText()).isEqualTo(orderId);
        assertThat(done.get("failureReason").isNull()).isTrue();
        awaitCart(buyer.http(), buyer.cart(), c -> c.get("status").asText().equals("CHECKED_OUT"));
        assertThat(staff.get("/api/checkouts/" + checkoutId).status()).as("staff read every session").isEqualTo(200);

        // a later change to the address book does not reach the session or the order
        Http.Response changed = buyer.http().put("/api/customers/" + buyer.customer().id() + "/addresses/"
                + buyer.home(), HOME.replace("London", "Bath"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        Http.Response again = confirm(buyer.http(), checkoutId);
        assertThat(again.status()).as("confirming a confirmed session answers its order").isEqualTo(202);
        assertThat(again.json().get("orderId").asText()).isEqualTo(orderId);
        assertThat(buyer.http().get("/api/checkouts/" + checkoutId).json().get("shippingAddress").get("city").asText())
                .isEqualTo("London");
        assertThat(shop.awaitOrderStatus(orderId, "CONFIRMED").get("shippingAddress").get("city").asText())
                .isEqualTo("London");
    }

    @Test
    void aCheckoutWhoseOrderIsRejectedForWantOfStockShowsWhyAndLeavesTheCartActive() {
        Buyer buyer = buyer("1000.00", 0);
        String checkoutId = ready(buyer, "STANDARD");

        Http.Response confirmed = confirm(buyer.http(), checkoutId);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(202);
        String orderId = confirmed.json().get("orderId").asText();

        shop.awaitOrderStatus(orderId, "REJECTED");
        JsonNode failed = awaitCheckout(buyer.http(), checkoutId, status("FAILED"));
        assertThat(failed.get("failureReason").asText()).isEqualTo("out of stock");
        assertThat(failed.get("orderId").asText()).isEqualTo(orderId);
        JsonNode cart = awaitCart(buyer.http(), buyer.cart(), c -> true);
        assertThat(cart.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cart.get("lines")).hasSize(1);

        // the failed session changes no more; a new one starts from the same cart
        assertProblem(buyer.http().put("/api/checkouts/" + checkoutId + "/shipping-method",
                "{\"method\": \"EXPRESS\"}"), 409);
        assertProblem(buyer.http().post("/api/checkouts/" + checkoutId + "/confirmation", null), 409);
        String again = started(buyer.http(), buyer.cart());
        assertThat(again).isNotEqualTo(checkoutId);
    }

    @Test
    void aCheckoutOverTheCreditLimitWithItsShippingIsRefusedAtConfirmationAndShowsWhy() {
        Buyer buyer = buyer("20.00", 10);
        String checkoutId = ready(buyer, "STANDARD");

        Http.Response refused = confirm(buyer.http(), checkoutId);

        assertProblem(refused, 422);
        assertThat(refused.body()).contains("credit limit");
        JsonNode failed = awaitCheckout(buyer.http(), checkoutId, status("FAILED"));
        assertThat(failed.get("failureReason").asText()).contains("credit limit");
        assertThat(shop.http().get("/api/orders/" + failed.get("orderId").asText()).status())
                .as("no order was placed").isEqualTo(404);
        assertThat(awaitCart(buyer.http(), buyer.cart(), c -> true).get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void parallelConfirmationsOfOneSessionPlaceExactlyOneOrder() throws Exception {
        Buyer buyer = buyer("1000.00", 10);
        String checkoutId = ready(buyer, "STANDARD");
        // the order domain's copies know the customer and the pen before the race, so no confirmation meets a 503
        shop.place(buyer.customer().id(), Shop.line(buyer.pen(), 1));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Http.Response> answers = new ArrayList<>();
        try {
            List<Callable<Http.Response>> confirmations = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                confirmations.add(() -> confirm(buyer.http(), checkoutId));
            }
            for (Future<Http.Response> answer : pool.invokeAll(confirmations)) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> orders = new HashSet<>();
        for (Http.Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
            orders.add(answer.json().get("orderId").asText());
        }
        assertThat(orders).hasSize(1);
        String orderId = orders.iterator().next();
        shop.awaitOrderStatus(orderId, "CONFIRMED");
        assertThat(eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%OrderPlacedEvent'
                """, Long.class, orderId)).isEqualTo(1);
        assertThat(shop.payments(orderId)).isEqualTo(1);
        awaitCheckout(buyer.http(), checkoutId, status("CONFIRMED"));
    }

    @Test
    void eachRefusalAnswersAProblemAndAnotherCustomersSessionDoesNotExist() {
        Buyer buyer = buyer("1000.00", 10);
        Identities.Customer grace = identities.customer("Grace");

        assertProblem(buyer.http().post("/api/checkouts", "{}"), 400);
        assertProblem(buyer.http().post("/api/checkouts", "{\"cartId\": \"not-a-uuid\"}"), 400);
        assertProblem(start(grace.http(), buyer.cart()), 404);
        assertProblem(start(buyer.http(), java.util.UUID.randomUUID().toString()), 404);
        String emptyCart = open(grace.http());
        assertProblem(start(grace.http(), emptyCart), 409);

        String checkoutId = started(buyer.http(), buyer.cart());
        String session = "/api/checkouts/" + checkoutId;
        assertProblem(buyer.http().post(session + "/confirmation", null), 409);
        assertProblem(buyer.http().put(session + "/shipping-address", "{}"), 400);
        assertProblem(buyer.http().put(session + "/shipping-address",
                "{\"addressId\": \"" + java.util.UUID.randomUUID() + "\"}"), 422);
        assertProblem(buyer.http().put(session + "/shipping-method", "{\"method\": \"PIGEON\"}"), 422);
        assertProblem(buyer.http().put(session + "/shipping-method", "{\"method\": \" \"}"), 400);
        put(buyer.http(), checkoutId, "shipping-address", "{\"addressId\": \"" + buyer.home() + "\"}");
        assertProblem(buyer.http().post(session + "/confirmation", null), 409);

        // another customer's session answers as one that does not exist, even with their own address
        String gracesAddress = address(grace, OFFICE);
        assertProblem(grace.http().get(session), 404);
        assertProblem(grace.http().put(session + "/billing-address", "{\"addressId\": \"" + gracesAddress + "\"}"), 404);
        assertProblem(grace.http().put(session + "/shipping-method", "{\"method\": \"STANDARD\"}"), 404);
        assertProblem(grace.http().post(session + "/confirmation", null), 404);
        // nor may a customer copy another's address into their own session
        assertProblem(buyer.http().put(session + "/billing-address", "{\"addressId\": \"" + gracesAddress + "\"}"), 422);
        assertProblem(buyer.http().get("/api/checkouts/" + java.util.UUID.randomUUID()), 404);
    }

    @Test
    void theAddressesCopiedIntoASessionAndItsOrderAreSealedInTheEventsAndForgottenWhenTheCustomerIsErased() {
        String sentinel = "sealed" + java.util.UUID.randomUUID().toString().replace("-", "");
        Identities.Customer customer = shop.customer("Erasable", "1000.00");
        String pen = shop.product("Sealed pen", "10.00");
        shop.receive(pen, 5);
        String cart = open(customer.http());
        added(customer.http(), cart, pen, 1);
        String addressId = address(customer, HOME.replace("12 St James's Square", sentinel));
        Buyer buyer = new Buyer(customer, cart, pen, addressId, addressId);
        String checkoutId = ready(buyer, "STANDARD");
        Http.Response confirmed = confirm(customer.http(), checkoutId);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(202);
        String orderId = confirmed.json().get("orderId").asText();
        assertThat(shop.awaitOrderStatus(orderId, "CONFIRMED").get("shippingAddress").get("line1").asText())
                .isEqualTo(sentinel);
        assertThat(eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE aggregate_identifier IN (?, ?) AND convert_from(payload, 'UTF8') LIKE ?
                """, Long.class, checkoutId, orderId, "%" + sentinel + "%"))
                .as("the session's and the order's addresses are sealed in their events").isZero();
        String exported = customer.http().get("/api/customers/" + customer.id() + "/export").body();
        assertThat(exported).as("the session's and the order's addresses are the customer's data")
                .contains("\"checkoutId\":\"" + checkoutId + "\"").contains(sentinel);

        Http.Response asked = customer.http().request("POST", "/api/customers/" + customer.id() + "/erasure", null);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> staff.get(asked.header("Location")).json().path("status").asText()
                .equals("ERASED"));

        JsonNode session = staff.get("/api/checkouts/" + checkoutId).json();
        assertThat(session.get("shippingAddress").isNull()).isTrue();
        assertThat(session.get("billingAddress").isNull()).isTrue();
        assertThat(session.get("status").asText()).as("the session itself stays").isEqualTo("CONFIRMED");
        JsonNode order = staff.get("/api/orders/" + orderId).json();
        assertThat(order.get("shippingAddress").isNull()).isTrue();
        assertThat(order.get("billingAddress").isNull()).isTrue();
        assertThat(order.get("shippingCost").get("amount").asText()).as("the order itself stays").isEqualTo("4.90");
    }

    @Test
    void aSessionSnapshotsTheCartsCurrentPricesAndAPriceChangedSinceIsRefusedAtConfirmation() {
        Buyer buyer = buyer("1000.00", 10);
        assertThat(staff.put("/api/products/" + buyer.pen() + "/price", "{\"amount\": \"12.00\", \"currency\": \"EUR\"}")
                .status()).isEqualTo(204);
        awaitCart(buyer.http(), buyer.cart(), c -> c.get("total").get("amount").asText().equals("24.00"));
        String checkoutId = ready(buyer, "STANDARD");
        JsonNode open = awaitCheckout(buyer.http(), checkoutId, c -> !c.get("shippingMethod").isNull());
        assertThat(open.get("itemsTotal").get("amount").asText()).as("the price the cart shows").isEqualTo("24.00");
        assertThat(open.get("lines").get(0).get("unitPrice").get("amount").asText()).isEqualTo("12.00");

        assertThat(staff.put("/api/products/" + buyer.pen() + "/price", "{\"amount\": \"15.00\", \"currency\": \"EUR\"}")
                .status()).isEqualTo(204);
        Http.Response refused = confirm(buyer.http(), checkoutId);

        assertProblem(refused, 422);
        assertThat(refused.body()).contains("Prices changed since the checkout started");
        JsonNode failed = awaitCheckout(buyer.http(), checkoutId, status("FAILED"));
        assertThat(failed.get("failureReason").asText()).contains("30.00 EUR now, 24.00 EUR then");
        assertThat(awaitCart(buyer.http(), buyer.cart(), c -> true).get("status").asText()).isEqualTo("ACTIVE");
        String again = ready(buyer, "STANDARD");
        assertThat(awaitCheckout(buyer.http(), again, c -> true).get("itemsTotal").get("amount").asText())
                .isEqualTo("30.00");
    }
}
