package org.orderly.app.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ReturnsTestSupport.line;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.ReturnsTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class ReturnsIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Http http;
    ReturnsTestSupport returns;

    @BeforeEach
    void setUp() {
        returns = new ReturnsTestSupport(new Identities(port));
        http = returns.staff();
    }

    @Test
    void aReturnIsApprovedReceivedRestockedAndRefundedAtThePricesSnapshottedAtPlacement() {
        String customer = returns.customer();
        String pen = returns.product("Pen", "1.50", 10);
        String ink = returns.product("Ink", "7.00", 5);
        String orderId = returns.place(customer, line(pen, 3), line(ink, 1));
        // A later price change must not change what the return pays back.
        assertThat(http.put("/api/products/" + pen + "/price", "{\"amount\": \"99.00\", \"currency\": \"EUR\"}").status())
                .isEqualTo(204);
        returns.deliver(orderId);

        String returnId = returns.returned(orderId, line(pen, 2));

        JsonNode approved = returns.awaitReturnStatus(returnId, "APPROVED");
        assertThat(approved.get("orderId").asText()).isEqualTo(orderId);
        assertThat(approved.get("reason").asText()).isEqualTo("not needed");
        assertThat(approved.get("lines")).hasSize(1);
        assertThat(approved.get("lines").get(0).get("productId").asText()).isEqualTo(pen);
        assertThat(approved.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(approved.get("refund").get("amount").asText()).isEqualTo("3.00");
        assertThat(approved.get("rejectionReason").isNull()).isTrue();
        assertThat(http.get("/api/inventory/" + pen).json().get("onHand").asInt()).as("nothing restocked before receipt")
                .isEqualTo(7);

        Http.Response receipt = http.post("/api/returns/" + returnId + "/receipt", null,
                "If-Match", "\"" + approved.get("version").asLong() + "\"");
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(202);

        JsonNode refunded = returns.awaitReturnStatus(returnId, "REFUNDED");
        assertThat(refunded.get("refund").get("amount").asText()).isEqualTo("3.00");
        assertThat(refunded.get("refund").get("currency").asText()).isEqualTo("EUR");
        assertThat(http.get("/api/returns/" + returnId).header("ETag")).isEqualTo("\"" + refunded.get("version").asLong() + "\"");
        await().atMost(ReturnsTestSupport.WAIT).untilAsserted(() -> {
            JsonNode stock = http.get("/api/inventory/" + pen).json();
            assertThat(stock.get("onHand").asInt()).as("10 received, 3 shipped, 2 back").isEqualTo(9);
            assertThat(stock.get("reserved").asInt()).isZero();
        });
        await().atMost(ReturnsTestSupport.WAIT).untilAsserted(() -> {
            JsonNode payment = http.get("/api/payments?orderId=" + orderId).json().get("items").get(0);
            assertThat(payment.get("status").asText()).isEqualTo("PARTIALLY_REFUNDED");
            assertThat(payment.get("refunded").get("amount").asText()).isEqualTo("3.00");
        });
        JsonNode listed = http.get("/api/returns?orderId=" + orderId).json();
        assertThat(listed.get("items")).hasSize(1);
        assertThat(listed.get("items").get(0).get("returnId").asText()).isEqualTo(returnId);
        assertThat(listed.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void returningEverythingInTwoReturnsRefundsThePaymentInFull() {
        String customer = returns.customer();
        String pen = returns.product("Pen", "2.00", 4);
        String orderId = returns.deliveredOrder(customer, line(pen, 2));

        String first = returns.returned(orderId, line(pen, 1));
        returns.awaitReturnStatus(first, "APPROVED");
        String second = returns.returned(orderId, line(pen, 1));
        returns.awaitReturnStatus(second, "APPROVED");
        assertThat(http.post("/api/returns/" + first + "/receipt", null).status()).isEqualTo(202);
        assertThat(http.post("/api/returns/" + second + "/receipt", null).status()).isEqualTo(202);

        returns.awaitReturnStatus(first, "REFUNDED");
        returns.awaitReturnStatus(second, "REFUNDED");
        await().atMost(ReturnsTestSupport.WAIT).untilAsserted(() -> {
            JsonNode payment = http.get("/api/payments?orderId=" + orderId).json().get("items").get(0);
            assertThat(payment.get("status").asText()).isEqualTo("REFUNDED");
            assertThat(payment.get("refunded").get("amount").asText()).isEqualTo("4.00");
        });
        await().atMost(ReturnsTestSupport.WAIT).untilAsserted(() ->
                assertThat(http.get("/api/inventory/" + pen).json().get("onHand").asInt()).isEqualTo(4));
    }

    @Test
    void moreUnitsThanDeliveredLessWhatIsAlreadyReturnedAreRejectedWithAReason() {
        String customer = returns.customer();
        String pen = returns.product("Pen", "1.50", 10);
        String orderId = returns.deliveredOrder(customer, line(pen, 3));

        String tooMany = returns.returned(orderId, line(pen, 4));
        JsonNode rejected = returns.awaitReturnStatus(tooMany, "REJECTED");
        assertThat(rejected.get("rejectionReason").asText()).contains("Only 3 of the 3 delivered units");

        String first = returns.returned(orderId, line(pen, 2));
        returns.awaitReturnStatus(first, "APPROVED");
        // Decided on the returns domain's copy, which waits for the first approval before answering.
        String second = returns.returned(orderId, line(pen, 2));
        assertThat(returns.awaitReturnStatus(second, "REJECTED").get("rejectionReason").asText())
                .contains("Only 1 of the 3 delivered units");
        String stranger = returns.returned(orderId, line(UUID.randomUUID().toString(), 1));
        assertThat(returns.awaitReturnStatus(stranger, "REJECTED").get("rejectionReason").asText())
                .contains("was not delivered with order");
        String last = returns.returned(orderId, line(pen, 1));
        returns.awaitReturnStatus(last, "APPROVED");

        List<String> pages = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonNode page : http.pages("/api/returns?orderId=" + orderId + "&limit=2")) {
            pages.add(page.get("items").size() + "");
            page.get("items").forEach(r -> ids.add(r.get("returnId").asText()));
        }
        assertThat(pages).containsExactly("2", "2", "1");
        assertThat(ids).containsExactlyInAnyOrder(tooMany, first, second, stranger, last);
    }

    @Test
    void aRejectedReturnCannotBeReceivedAndARepeatedReceiptChangesNothing() {
        String customer = returns.customer();
        String pen = returns.product("Pen", "1.50", 10);
        String orderId = returns.deliveredOrder(customer, line(pen, 1));
        String rejected = returns.returned(orderId, line(pen, 2));
        returns.awaitReturnStatus(rejected, "REJECTED");
        long before = eventCount();

        Http.Response response = http.post("/api/returns/" + rejected + "/receipt", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).isEqualTo(before);

        String approved = returns.returned(orderId, line(pen, 1));
        long version = returns.awaitReturnStatus(approved, "APPROVED").get("version").asLong();
        assertThat(http.post("/api/returns/" + approved + "/receipt", null, "If-Match", "\"" + (version + 5) + "\"")
                .status()).as("a stale If-Match").isEqualTo(409);
        assertThat(http.post("/api/returns/" + approved + "/receipt", null).status()).isEqualTo(202);
        returns.awaitReturnStatus(approved, "REFUNDED");
        assertThat(http.post("/api/returns/" + approved + "/receipt", null).status()).isEqualTo(202);
        assertThat(http.get("/api/returns/" + approved).json().get("status").asText()).isEqualTo("REFUNDED");
    }

    @Test
    void anOrderNotDeliveredIsA409AndAnUnknownOrderA404AndNeitherWritesAnything() {
        String customer = returns.customer();
        String pen = returns.product("Pen", "1.50", 10);
        String orderId = returns.place(customer, line(pen, 1));
        returns.awaitOrder(orderId, "CONFIRMED");
        awaitQuiet();
        long before = eventCount();

        Http.Response notDelivered = returns.requestReturn(orderId, "changed my mind", line(pen, 1));
        Http.Response unknown = returns.requestReturnAs(returns.as(customer), UUID.randomUUID().toString(),
                "changed my mind", line(pen, 1));

        assertThat(notDelivered.status()).as(notDelivered.toString()).isEqualTo(409);
        assertThat(notDelivered.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.post("/api/returns/" + UUID.randomUUID() + "/receipt", null).status()).isEqualTo(404);
        assertThat(http.get("/api/returns/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void malformedRequestsAreA400NamingTheFieldAndWriteNothing() {
        String order = UUID.randomUUID().toString();
        String product = UUID.randomUUID().toString();
        Http customer = returns.as(returns.customer());
        awaitQuiet();
        long before = eventCount();

        assertProblem(returns.requestReturnAs(customer, order, "why", line(product, 0)), "lines[0].quantity");
        assertProblem(returns.requestReturnAs(customer, order, "why"), "lines");
        assertProblem(returns.requestReturnAs(customer, order, " ", line(product, 1)), "reason");
        assertProblem(returns.requestReturnAs(customer, order, "why", line(product, 1), line(product, 2)), "lines[1].productId");
        assertProblem(customer.post("/api/returns", "{\"lines\": [" + line(product, 1) + "], \"reason\": \"why\"}"), "orderId");
        assertProblem(returns.requestReturnAs(customer, "not-a-uuid", "why", line(product, 1)), "orderId");
        Http.Response broken = customer.post("/api/returns", "{\"orderId\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(before);
    }

    /** The fulfilment saga writes after the order changes; counting events waits until nothing more arrives. */
    private void awaitQuiet() {
        Awaits.awaitQuiet(eventStore);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static void assertProblem(Http.Response response, String field) {
        ApiAssertions.assertProblem(response, 400, field);
    }
}
