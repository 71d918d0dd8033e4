package org.orderly.app.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.RecordAuthorizationResultCommand;
import org.orderly.api.payment.RefundPaymentCommand;
import org.orderly.api.payment.VoidPaymentCommand;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Payments on the real application: commands through the CommandGateway (payments have no command
 * endpoint), the simulated provider answering with its defaults, the read model over REST.
 */
@OrderlyIntegrationTest
class PaymentApiIT {

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate eventStore;
    /** Staff: they read every payment. */
    Http http;

    @BeforeEach
    void setUp() {
        http = new Identities(port).staff();
    }

    @Test
    void anApprovedAuthorizationReachesAuthorizedInTheReadModel() {
        PaymentId id = PaymentId.newId();
        OrderId orderId = OrderId.newId();

        commands.sendAndWait(new AuthorizePaymentCommand(id, orderId, Money.of("120.5", "EUR")));

        JsonNode payment = awaitPayment(id, "AUTHORIZED");
        assertThat(payment.get("paymentId").asText()).isEqualTo(id.toString());
        assertThat(payment.get("orderId").asText()).isEqualTo(orderId.toString());
        assertMoney(payment.get("amount"), "120.50", "EUR");
        assertMoney(payment.get("refunded"), "0.00", "EUR");
        assertThat(http.get("/api/payments/" + id).header("ETag")).isEqualTo("\"1\"");
        assertThat(eventTypes(id)).containsExactly("PaymentAuthorizationRequestedEvent", "PaymentAuthorizedEvent");
    }

    @Test
    void anAuthorizationAboveTheDeclineLimitIsDeclined() {
        PaymentId id = PaymentId.newId();

        commands.sendAndWait(new AuthorizePaymentCommand(id, OrderId.newId(), Money.of("10000.01", "EUR")));

        JsonNode payment = awaitPayment(id, "DECLINED");
        assertMoney(payment.get("amount"), "10000.01", "EUR");
        assertThat(eventTypes(id)).containsExactly("PaymentAuthorizationRequestedEvent", "PaymentDeclinedEvent");
    }

    @Test
    void captureThenPartialRefundIsPartiallyRefundedAndTheRestCompletesTheRefund() {
        PaymentId id = authorized("80.00");

        commands.sendAndWait(new CapturePaymentCommand(id));
        awaitPayment(id, "CAPTURED");
        commands.sendAndWait(new RefundPaymentCommand(id, Money.of("30.00", "EUR")));

        JsonNode partly = awaitPayment(id, "PARTIALLY_REFUNDED");
        assertMoney(partly.get("refunded"), "30.00", "EUR");
        assertMoney(partly.get("amount"), "80.00", "EUR");
        assertThat(http.get("/api/payments/" + id).header("ETag")).isEqualTo("\"3\"");

        commands.sendAndWait(new RefundPaymentCommand(id, Money.of("50.00", "EUR")));
        assertMoney(awaitPayment(id, "REFUNDED").get("refunded"), "80.00", "EUR");
    }

    @Test
    void refundingMoreThanWasCapturedIsRefusedNamingTheAmountAndWritesNothing() {
        PaymentId id = authorized("80.00");
        commands.sendAndWait(new CapturePaymentCommand(id));
        commands.sendAndWait(new RefundPaymentCommand(id, Money.of("50.00", "EUR")));
        long before = eventCount();

        assertThat(refusalOf(() -> commands.sendAndWait(new RefundPaymentCommand(id, Money.of("30.01", "EUR")))))
                .satisfies(r -> {
                    assertThat(r.kind()).isEqualTo(Refusal.Kind.CONFLICT);
                    assertThat(r.field()).isEqualTo("amount");
                });
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void voidingAnAuthorizedPaymentReachesVoided() {
        PaymentId id = authorized("15.00");

        commands.sendAndWait(new VoidPaymentCommand(id));

        awaitPayment(id, "VOIDED");
        assertThat(http.get("/api/payments/" + id).header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void wrongTransitionsAreRefusedAsConflictsAndWriteNothing() {
        PaymentId declined = PaymentId.newId();
        commands.sendAndWait(new AuthorizePaymentCommand(declined, OrderId.newId(), Money.of("20000.00", "EUR")));
        awaitPayment(declined, "DECLINED");
        PaymentId voided = authorized("5.00");
        commands.sendAndWait(new VoidPaymentCommand(voided));
        long before = eventCount();

        assertThat(refusalOf(() -> commands.sendAndWait(new CapturePaymentCommand(declined))).kind())
                .isEqualTo(Refusal.Kind.CONFLICT);
        assertThat(refusalOf(() -> commands.sendAndWait(new CapturePaymentCommand(voided))).kind())
                .isEqualTo(Refusal.Kind.CONFLICT);
        assertThat(refusalOf(() -> commands.sendAndWait(new RefundPaymentCommand(voided, Money.of("1.00", "EUR")))).kind())
                .isEqualTo(Refusal.Kind.CONFLICT);
        assertThat(refusalOf(() -> commands.sendAndWait(new CapturePaymentCommand(PaymentId.newId()))).kind())
                .isEqualTo(Refusal.Kind.NOT_FOUND);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aSilentProviderLeavesThePaymentPendingAndALateApprovalAfterCancellationIsVoidedAtOnce() {
        PaymentId id = PaymentId.newId();
        commands.sendAndWait(new AuthorizePaymentCommand(id, OrderId.newId(), Money.of("50000.01", "EUR")));
        awaitPayment(id, "AUTHORIZATION_PENDING");

        commands.sendAndWait(new CancelPaymentAuthorizationCommand(id));
        awaitPayment(id, "VOIDED");

        // The provider answers after all: the approval is recorded and released in the same breath.
        commands.sendAndWait(new RecordAuthorizationResultCommand(id, true, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> "\"3\"".equals(http.get("/api/payments/" + id).header("ETag")));
        assertThat(awaitPayment(id, "VOIDED").get("status").asText()).isEqualTo("VOIDED");
        assertThat(eventTypes(id)).containsExactly("PaymentAuthorizationRequestedEvent",
                "PaymentAuthorizationCancelledEvent", "PaymentAuthorizedEvent", "PaymentVoidedEvent");

        long before = eventCount();
        commands.sendAndWait(new RecordAuthorizationResultCommand(id, true, null));
        assertThat(eventCount()).as("a duplicate answer changes nothing").isEqualTo(before);
    }

    @Test
    void theListFiltersByOrderAndPagesWithACursor() {
        OrderId orderId = OrderId.newId();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PaymentId id = PaymentId.newId();
            commands.sendAndWait(new AuthorizePaymentCommand(id, orderId, Money.of("1" + i + ".00", "EUR")));
            mine.add(id.toString());
        }
        PaymentId other = authorized("9.00");
        mine.forEach(id -> awaitPayment(PaymentId.of(id), "AUTHORIZED"));

        List<String> seen = new ArrayList<>();
        List<JsonNode> pages = http.pages("/api/payments?orderId=" + orderId + "&limit=2");
        for (JsonNode body : pages) {
            assertThat(body.get("items").size()).isLessThanOrEqualTo(2);
            body.get("items").forEach(item -> {
                assertThat(item.get("orderId").asText()).isEqualTo(orderId.toString());
                seen.add(item.get("paymentId").asText());
            });
        }

        assertThat(pages).hasSize(2);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(mine).isSorted().doesNotContain(other.toString());
    }

    @Test
    void anUnknownPaymentIsA404() {
        assertProblem(http.get("/api/payments/" + UUID.randomUUID()), 404);
    }

    @Test
    void aMalformedIdOrFilterIsA400NamingIt() {
        Http.Response badId = http.get("/api/payments/not-a-uuid");
        assertProblem(badId, 400);
        assertThat(badId.json().get("errors").get(0).get("field").asText()).isEqualTo("paymentId");

        Http.Response badOrder = http.get("/api/payments?orderId=42");
        assertProblem(badOrder, 400);
        assertThat(badOrder.json().get("errors").get(0).get("field").asText()).isEqualTo("orderId");

        Http.Response badCursor = http.get("/api/payments?cursor=bm90LWEtdXVpZA");
        assertProblem(badCursor, 400);
        assertThat(badCursor.json().get("errors").get(0).get("field").asText()).isEqualTo("cursor");
    }

    private PaymentId authorized(String amount) {
        PaymentId id = PaymentId.newId();
        commands.sendAndWait(new AuthorizePaymentCommand(id, OrderId.newId(), Money.of(amount, "EUR")));
        awaitPayment(id, "AUTHORIZED");
        return id;
    }

    private JsonNode awaitPayment(PaymentId id, String status) {
        return awaitPayment(id, p -> p.get("status").asText().equals(status));
    }

    private JsonNode awaitPayment(PaymentId id, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/payments/" + id, condition);
    }

    private static Refusal refusalOf(Runnable command) {
        Refusal[] refusal = new Refusal[1];
        assertThatThrownBy(command::run).isInstanceOfSatisfying(CommandExecutionException.class,
                e -> refusal[0] = e.<Refusal>getDetails().orElseThrow());
        return refusal[0];
    }

    private List<String> eventTypes(PaymentId id) {
        return eventStore.queryForList("""
                SELECT payment_type FROM (
                    SELECT sequence_number, regexp_replace(payload_type, '^.*\\.', '') AS payment_type
                      FROM event_store.domain_event_entry WHERE aggregate_identifier = ?) e
                 ORDER BY sequence_number
                """, String.class, id.toString());
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static void assertMoney(JsonNode money, String amount, String currency) {
        assertThat(money.get("amount").isTextual()).as("amount is a decimal string: " + money).isTrue();
        assertThat(money.get("amount").asText()).isEqualTo(amount);
        assertThat(money.get("currency").asText()).isEqualTo(currency);
    }

}
