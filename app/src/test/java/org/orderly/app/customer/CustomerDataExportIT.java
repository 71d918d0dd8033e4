package org.orderly.app.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The right of access over REST, on real PostgreSQL: a customer's export holds what every domain keeps about
 * them (their record and login, orders, payments, shipments, returns, workflows, notifications, their data key) and nothing
 * of anyone else; staff export anyone's; an erased customer's export shows the erasure instead of their email and
 * name; and a domain that cannot answer, or not in time, makes the export a 503 naming it, never a document
 * without its part.
 */
@OrderlyIntegrationTest
class CustomerDataExportIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> EVERY_DOMAIN = List.of("customer", "identity", "orders", "payment", "shipping",
            "returns", "cart", "workflows", "notification", "keys");

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    Identities identities;
    Shop shop;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
    }

    @Test
    void aCustomersExportHoldsTheirRecordLoginOrdersPaymentsShipmentsReturnsWorkflowsAndNotificationsAndNothingOfAnotherCustomer() {
        String ada = "Ada " + UUID.randomUUID();
        Identities.Customer customer = shop.customer(ada, "1000.00");
        Identities.Customer other = shop.customer("Bob " + UUID.randomUUID(), "1000.00");
        String product = shop.product("Export pen", "2.50");
        shop.receive(product, 100);
        String order = shop.place(customer.id(), Shop.line(product, 2));
        String othersOrder = shop.place(other.id(), Shop.line(product, 1));
        shop.awaitOrderStatus(order, "CONFIRMED");
        shop.awaitOrderStatus(othersOrder, "CONFIRMED");
        String shipment = shop.awaitShipment(order, s -> true).get("shipmentId").asText();
        assertThat(shop.http().post("/api/shipments/" + shipment + "/dispatch", null).status()).isEqualTo(204);
        assertThat(shop.http().post("/api/shipments/" + shipment + "/delivery", null).status()).isEqualTo(204);
        shop.awaitOrderStatus(order, "DELIVERED");
        String payment = shop.awaitPayment(order, "CAPTURED").get("paymentId").asText();
        String reason = "too blue " + UUID.randomUUID();
        String returnId = requestReturn(customer, order, product, reason);
        awaitFound("/api/returns/" + returnId);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> !identities.staff()
                .get("/api/workflows?businessId=" + returnId).json().get("items").isEmpty());
        String cancelled = shop.place(customer.id(), Shop.line(product, 1));
        shop.awaitOrderStatus(cancelled, "CONFIRMED");
        String cancellation = "changed my mind " + UUID.randomUUID();
        Http.Response cancelling = customer.http().post("/api/orders/" + cancelled + "/cancellation",
                "{\"reason\": \"" + cancellation + "\"}");
        assertThat(cancelling.status()).as(cancelling.toString()).isEqualTo(202);
        shop.awaitWorkflow(cancelled, w -> w.toString().contains("order cancelled"));
        awaitNotifications(customer, "CUSTOMER_WELCOME", "ORDER_CONFIRMED", "SHIPMENT_DISPATCHED");

        Http.Response export = customer.http().get("/api/customers/" + customer.id() + "/export");

        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/json");
        assertThat(export.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"customer-" + customer.id() + ".json\"");
        assertThat(export.header("Cache-Control")).isEqualTo("no-store");
        JsonNode document = export.json();
        assertThat(document.get("customerId").asText()).isEqualTo(customer.id());
        assertThat(Instant.parse(document.get("producedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(texts(document.get("domains"))).containsExactlyElementsOf(EVERY_DOMAIN);
        Map<String, JsonNode> parts = parts(document);
        JsonNode record = parts.get("customer").get("customer");
        assertThat(record.get("email").asText()).isEqualTo(customer.email());
        assertThat(record.get("name").asText()).isEqualTo(ada);
        assertThat(record.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(record.get("creditLimitAmount").asText()).isEqualTo("1000.00");
        JsonNode account = parts.get("identity").get("account");
        assertThat(account.get("login").asText()).isEqualTo(customer.email().toLowerCase());
        assertThat(account.get("password").asText()).isEqualTo("a password is set");
        assertThat(export.body()).as("no password hash").doesNotContain("{bcrypt}").doesNotContain("$2a$");
        JsonNode placed = parts.get("orders").get("orders").get(0);
        assertThat(placed.get("orderId").asText()).isEqualTo(order);
        assertThat(placed.get("lines").get(0).get("productId").asText()).isEqualTo(product);
        assertThat(placed.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(texts(placed.get("statusHistory"), "status")).contains("PENDING", "CONFIRMED", "DELIVERED");
        assertThat(parts.get("orders").get("customerCopy").get("email").asText()).isEqualTo(customer.email());
        assertThat(texts(parts.get("payment").get("payments"), "paymentId")).contains(payment).hasSize(2);
        JsonNode shipped = parts.get("shipping").get("shipments").get(0);
        assertThat(shipped.get("shipmentId").asText()).isEqualTo(shipment);
        assertThat(shipped.get("items").get(0).get("productId").asText()).isEqualTo(product);
        JsonNode returned = parts.get("returns").get("returns").get(0);
        assertThat(returned.get("returnId").asText()).isEqualTo(returnId);
        assertThat(returned.get("reason").asText()).isEqualTo(reason);
        assertThat(parts.get("orders").toString()).as("the reason the customer gave").contains(cancellation);
        JsonNode workflows = parts.get("workflows").get("workflows");
        assertThat(texts(workflows, "businessId")).contains(order, cancelled, returnId);
        assertThat(workflows.toString()).as("a workflow keeps no reason the customer typed").doesNotContain(cancellation);
        JsonNode notifications = parts.get("notification").get("notifications");
        assertThat(texts(notifications, "type")).contains("CUSTOMER_WELCOME", "ORDER_CONFIRMED", "SHIPMENT_DISPATCHED");
        assertThat(texts(notifications, "recipient")).containsOnly(customer.email());
        assertThat(parts.get("keys").get("dataKey").asText()).isEqualTo("present");
        assertThat(export.body()).as("another customer's data")
                .doesNotContain(other.id()).doesNotContain(other.email()).doesNotContain(othersOrder)
                .doesNotContain("Bob ");
    }

    @Test
    void staffExportAnyCustomerWhileAnotherCustomerAnonymousCallersAndOperatorsCannot() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer eve = identities.customer("Eve " + UUID.randomUUID());
        String path = "/api/customers/" + ada.id() + "/export";
        awaitFound("/api/customers/" + ada.id());

        Http.Response byStaff = identities.staff().get(path);

        assertThat(byStaff.status()).as(byStaff.toString()).isEqualTo(200);
        assertThat(parts(byStaff.json()).get("customer").get("customer").get("email").asText()).isEqualTo(ada.email());
        Http.Response byEve = eve.http().get(path);
        ApiAssertions.assertProblem(byEve, 404);
        assertThat(byEve.body()).doesNotContain(ada.email());
        ApiAssertions.assertProblem(identities.anonymous().get(path), 401);
        ApiAssertions.assertProblem(identities.operator().get(path), 403);
        ApiAssertions.assertProblem(identities.staff().get("/api/customers/" + UUID.randomUUID() + "/export"), 404);
    }

    @Test
    void anErasedCustomersExportShowsTheErasureButNeitherTheirEmailNorTheirName() {
        String name = "Forgotten " + UUID.randomUUID();
        Identities.Customer customer = shop.customer(name, "1000.00");
        String product = shop.product("Erased pen", "1.00");
        shop.receive(product, 10);
        String order = shop.place(customer.id(), Shop.line(product, 1));
        shop.awaitOrderStatus(order, "CONFIRMED");
        awaitNotifications(customer, "CUSTOMER_WELCOME", "ORDER_CONFIRMED");
        Http.Response erasure = customer.http().request("POST", "/api/customers/" + customer.id() + "/erasure", null);
        assertThat(erasure.status()).as(erasure.toString()).isEqualTo(202);
        await().atMost(WAIT).until(() -> identities.staff().get(erasure.header("Location")).json().path("status")
                .asText().equals("ERASED"));

        Http.Response export = identities.staff().get("/api/customers/" + customer.id() + "/export");

        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.body()).doesNotContain(customer.email()).doesNotContain(name)
                .doesNotContain(customer.email().toLowerCase());
        Map<String, JsonNode> parts = parts(export.json());
        assertThat(parts.get("customer").get("customer").get("status").asText()).isEqualTo("ERASED");
        assertThat(parts.get("customer").get("customer").get("email").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(parts.get("identity").isEmpty()).as("the login account is gone").isTrue();
        assertThat(parts.get("orders").get("orders").get(0).get("orderId").asText())
                .as("the business keeps the order").isEqualTo(order);
        assertThat(parts.get("keys").get("dataKey").asText()).isEqualTo("erased");
    }

    @Test
    void aDomainThatCannotAnswerMakesTheExportA503NamingItInsteadOfAnIncompleteDocument() {
        Identities.Customer customer = identities.customer("Ada " + UUID.randomUUID());
        awaitFound("/api/customers/" + customer.id());
        JdbcTemplate keys = stores.get("keys").jdbc();

        Http.Response export;
        // The keys domain's store fails every read of the erasure ledger while it is renamed: its part cannot be made.
        keys.execute("ALTER TABLE erased_subject RENAME TO erased_subject_unreachable");
        try {
            export = customer.http().get("/api/customers/" + customer.id() + "/export");
        } finally {
            keys.execute("ALTER TABLE erased_subject_unreachable RENAME TO erased_subject");
        }

        ApiAssertions.assertProblem(export, 503);
        assertThat(export.json().get("detail").asText())
                .isEqualTo("The export is incomplete: no answer from domain(s) keys; retry shortly");
        assertThat(export.header("Retry-After")).isNotBlank();
        assertThat(export.body()).doesNotContain(customer.email());
        assertThat(customer.http().get("/api/customers/" + customer.id() + "/export").status())
                .as("once the domain answers again").isEqualTo(200);
    }

    @Test
    void aDomainThatDoesNotAnswerWithinTheTimeoutMakesTheExportA503NamingIt() {
        Identities.Customer customer = identities.customer("Ada " + UUID.randomUUID());
        awaitFound("/api/customers/" + customer.id());
        DomainStore keys = stores.get("keys");

        // The keys domain's part waits on a lock held longer than the export waits (orderly.privacy.export.timeout).
        Http.Response export = keys.transactions().execute(status -> {
            keys.jdbc().execute("LOCK TABLE erased_subject IN ACCESS EXCLUSIVE MODE");
            return customer.http().get("/api/customers/" + customer.id() + "/export");
        });

        ApiAssertions.assertProblem(export, 503);
        assertThat(export.json().get("detail").asText()).startsWith("The export is incomplete: no answer from domain(s) ")
                .contains("keys");
        assertThat(export.body()).doesNotContain(customer.email());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> customer.http()
                .get("/api/customers/" + customer.id() + "/export").status() == 200);
    }

    private String requestReturn(Identities.Customer customer, String order, String product, String reason) {
        Http.Response[] requested = new Http.Response[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            requested[0] = customer.http().post("/api/returns", "{\"orderId\": \"" + order + "\", \"lines\": ["
                    + Shop.line(product, 1) + "], \"reason\": \"" + reason + "\"}");
            return requested[0].status() == 202;
        });
        return requested[0].json().get("returnId").asText();
    }

    private void awaitFound(String path) {
        await(path).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> identities.staff().get(path).status() == 200);
    }

    /** Waits until a notification of each type has been sent to the customer (its recipient then resolved). */
    private void awaitNotifications(Identities.Customer customer, String... types) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> sent = new ArrayList<>();
            identities.staff().get("/api/notifications?customerId=" + customer.id() + "&limit=100").json().get("items")
                    .forEach(item -> {
                        if (item.path("status").asText().equals("SENT")) {
                            sent.add(item.path("type").asText());
                        }
                    });
            return sent.containsAll(List.of(types));
        });
    }

    private static Map<String, JsonNode> parts(JsonNode document) {
        Map<String, JsonNode> parts = new HashMap<>();
        document.get("parts").forEach(part -> parts.put(part.get("domain").asText(), part.get("data")));
        return parts;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }
}
