package org.orderly.command.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.AuthorizationOutcome;
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.PaymentAuthorizationCancelledEvent;
import org.orderly.api.payment.PaymentAuthorizationRequestedEvent;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentCapturedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentRefundedEvent;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.payment.PaymentVoidedEvent;
import org.orderly.api.payment.RecordAuthorizationResultCommand;
import org.orderly.api.payment.RefundPaymentCommand;
import org.orderly.api.payment.VoidPaymentCommand;

class PaymentTest {

    private final PaymentId id = PaymentId.newId();
    private final OrderId orderId = OrderId.newId();
    private final Money amount = Money.of("100.00", "EUR");
    private final RecordingProvider provider = new RecordingProvider();
    private FixtureConfiguration<Payment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Payment.class);
        // A direct executor: the provider is asked on the test's thread, as soon as the command commits.
        fixture.registerInjectableResource(new PaymentAuthorizer(provider,
                DefaultCommandGateway.builder().commandBus(SimpleCommandBus.builder().build()).build(), Runnable::run));
    }

    // authorization

    @Test
    void authorizingRecordsTheRequestAndAsksTheProviderOnceItIsStored() {
        fixture.givenNoPriorActivity()
                .when(new AuthorizePaymentCommand(id, orderId, amount))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PaymentAuthorizationRequestedEvent(id, orderId, amount));
        assertThat(provider.requests).containsExactly(new Request(id, orderId, amount));
        assertThat(provider.phases).as("asked only once the unit of work had committed")
                .containsExactly(UnitOfWork.Phase.AFTER_COMMIT);
    }

    @Test
    void authorizingAPendingPaymentAgainAsksTheProviderAgainAndAddsNoEvent() {
        fixture.given(requested())
                .when(new AuthorizePaymentCommand(id, orderId, amount))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new AuthorizationOutcome(PaymentStatus.AUTHORIZATION_PENDING, null));
        assertThat(provider.requests).containsExactly(new Request(id, orderId, amount));
    }

    @Test
    void authorizingAnAnsweredPaymentAgainAnswersWithTheOutcomeAndAsksNoProvider() {
        fixture.given(requested(), authorized())
                .when(new AuthorizePaymentCommand(id, orderId, amount))
                .expectNoEvents()
                .expectResultMessagePayload(new AuthorizationOutcome(PaymentStatus.AUTHORIZED, null));
        fixture.given(requested(), new PaymentDeclinedEvent(id, orderId, amount, "over the limit"))
                .when(new AuthorizePaymentCommand(id, orderId, amount))
                .expectNoEvents()
                .expectResultMessagePayload(new AuthorizationOutcome(PaymentStatus.DECLINED, "over the limit"));
        assertThat(provider.requests).isEmpty();
    }

    @Test
    void authorizingAPaymentAgainForAnotherAmountIsRefusedAsAConflict() {
        fixture.given(requested())
                .when(new AuthorizePaymentCommand(id, orderId, Money.of("1.00", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void authorizingANonPositiveAmountIsRefusedNamingTheAmountAndAsksNoProvider() {
        fixture.givenNoPriorActivity()
                .when(new AuthorizePaymentCommand(id, orderId, Money.zero("EUR")))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
        assertThat(provider.requests).isEmpty();
    }

    @Test
    void authorizingWithoutAnAmountOrAnOrderIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new AuthorizePaymentCommand(id, orderId, null))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AuthorizePaymentCommand(id, null, amount))
                .expectException(refusal(Refusal.Kind.INVALID, "orderId"))
                .expectNoEvents();
        assertThat(provider.requests).isEmpty();
    }

    @Test
    void anApprovalAuthorizesAPendingPayment() {
        fixture.given(requested())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectEvents(new PaymentAuthorizedEvent(id, orderId, amount));
    }

    @Test
    void aDeclineDeclinesAPendingPaymentWithTheProvidersReason() {
        fixture.given(requested())
                .when(new RecordAuthorizationResultCommand(id, false, " Insufficient funds "))
                .expectEvents(new PaymentDeclinedEvent(id, orderId, amount, "Insufficient funds"));
    }

    @Test
    void aDeclineWithoutAReasonGetsAGenericOne() {
        fixture.given(requested())
                .when(new RecordAuthorizationResultCommand(id, false, null))
                .expectEvents(new PaymentDeclinedEvent(id, orderId, amount, Payment.DEFAULT_DECLINE_REASON));
    }

    @Test
    void aDuplicateApprovalIsIgnored() {
        fixture.given(requested(), authorized())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aContradictingLateAnswerIsIgnored() {
        fixture.given(requested(), authorized())
                .when(new RecordAuthorizationResultCommand(id, false, "changed its mind"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), new PaymentDeclinedEvent(id, orderId, amount, "no"))
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anAnswerForACapturedOrVoidedPaymentIsIgnored() {
        fixture.given(requested(), authorized(), captured())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), authorized(), voided())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // cancellation while pending, and late answers

    @Test
    void cancellingAPendingAuthorizationRecordsTheCancellation() {
        fixture.given(requested())
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectEvents(new PaymentAuthorizationCancelledEvent(id, orderId));
    }

    @Test
    void aLateApprovalAfterCancellationIsAuthorizedThenVoidedAtOnce() {
        fixture.given(requested(), cancelled())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectEvents(new PaymentAuthorizedEvent(id, orderId, amount), new PaymentVoidedEvent(id, orderId));
    }

    @Test
    void aSecondLateApprovalAfterCancellationChangesNothing() {
        fixture.given(requested(), cancelled(), authorized(), voided())
                .when(new RecordAuthorizationResultCommand(id, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aLateDeclineAfterCancellationChangesNothing() {
        fixture.given(requested(), cancelled())
                .when(new RecordAuthorizationResultCommand(id, false, "too late"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCancelledAuthorizationCanBeNeitherCapturedNorVoided() {
        fixture.given(requested(), cancelled())
                .when(new CapturePaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), cancelled())
                .when(new VoidPaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void cancellingAnAuthorizedPaymentVoidsIt() {
        fixture.given(requested(), authorized())
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectEvents(new PaymentVoidedEvent(id, orderId));
    }

    @Test
    void cancellingAPaymentThatHoldsNothingChangesNothing() {
        fixture.given(requested(), cancelled())
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), new PaymentDeclinedEvent(id, orderId, amount, "no"))
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), authorized(), voided())
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cancellingACapturedPaymentIsRefusedAsAConflict() {
        fixture.given(requested(), authorized(), captured())
                .when(new CancelPaymentAuthorizationCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    // capture

    @Test
    void capturingAnAuthorizedPaymentCapturesTheAuthorizedAmount() {
        fixture.given(requested(), authorized())
                .when(new CapturePaymentCommand(id))
                .expectEvents(new PaymentCapturedEvent(id, orderId, amount));
    }

    @Test
    void capturingAPaymentThatIsNotAuthorizedIsRefusedAsAConflict() {
        fixture.given(requested())
                .when(new CapturePaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), new PaymentDeclinedEvent(id, orderId, amount, "no"))
                .when(new CapturePaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), authorized(), voided())
                .when(new CapturePaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void capturingACapturedPaymentAgainSucceedsAndCapturesNothingMore() {
        fixture.given(requested(), authorized(), captured())
                .when(new CapturePaymentCommand(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), authorized(), captured(),
                        new PaymentRefundedEvent(id, orderId, Money.of("10.00", "EUR"), Money.of("10.00", "EUR"), "r1"))
                .when(new CapturePaymentCommand(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // refunds

    @Test
    void refundingPartOfACapturedPaymentRecordsTheRefundAndTheTotal() {
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, Money.of("30.00", "EUR")))
                .expectEvents(new PaymentRefundedEvent(id, orderId, Money.of("30.00", "EUR"), Money.of("30.00", "EUR")));
    }

    @Test
    void aRefundRedeliveredWithTheSameReferenceRefundsNothingMore() {
        fixture.given(requested(), authorized(), captured(),
                        new PaymentRefundedEvent(id, orderId, Money.of("30.00", "EUR"), Money.of("30.00", "EUR"), "return:r1"))
                .when(new RefundPaymentCommand(id, Money.of("30.00", "EUR"), "return:r1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(requested(), authorized(), captured(),
                        new PaymentRefundedEvent(id, orderId, Money.of("30.00", "EUR"), Money.of("30.00", "EUR"), "return:r1"))
                .when(new RefundPaymentCommand(id, Money.of("30.00", "EUR"), "return:r2"))
                .expectEvents(new PaymentRefundedEvent(id, orderId, Money.of("30.00", "EUR"), Money.of("60.00", "EUR"), "return:r2"));
    }

    @Test
    void refundsAddUpToTheWholeCapturedAmount() {
        fixture.given(requested(), authorized(), captured(), refunded("30.00", "30.00"))
                .when(new RefundPaymentCommand(id, Money.of("70.00", "EUR")))
                .expectEvents(new PaymentRefundedEvent(id, orderId, Money.of("70.00", "EUR"), amount));
    }

    @Test
    void refundingMoreThanCapturedInTotalIsRefusedNamingTheAmount() {
        fixture.given(requested(), authorized(), captured(), refunded("60.00", "60.00"))
                .when(new RefundPaymentCommand(id, Money.of("40.01", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, "amount"))
                .expectNoEvents();
    }

    @Test
    void refundingMoreThanCapturedAtOnceIsRefusedNamingTheAmount() {
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, Money.of("100.01", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, "amount"))
                .expectNoEvents();
    }

    @Test
    void refundingAFullyRefundedPaymentIsRefusedNamingTheAmount() {
        fixture.given(requested(), authorized(), captured(), refunded("100.00", "100.00"))
                .when(new RefundPaymentCommand(id, Money.of("0.01", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, "amount"))
                .expectNoEvents();
    }

    @Test
    void refundingANonPositiveAmountOrAnotherCurrencyIsRefusedNamingTheAmount() {
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, Money.zero("EUR")))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, Money.of("-1.00", "EUR")))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, Money.of("10.00", "USD")))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
        fixture.given(requested(), authorized(), captured())
                .when(new RefundPaymentCommand(id, null))
                .expectException(refusal(Refusal.Kind.INVALID, "amount"))
                .expectNoEvents();
    }

    @Test
    void refundingAPaymentThatWasNotCapturedIsRefusedAsAConflict() {
        fixture.given(requested(), authorized())
                .when(new RefundPaymentCommand(id, Money.of("10.00", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), authorized(), voided())
                .when(new RefundPaymentCommand(id, Money.of("10.00", "EUR")))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    // void

    @Test
    void voidingAnAuthorizedPaymentReleasesIt() {
        fixture.given(requested(), authorized())
                .when(new VoidPaymentCommand(id))
                .expectEvents(new PaymentVoidedEvent(id, orderId));
    }

    @Test
    void voidingACapturedPaymentIsRefusedAsAConflict() {
        fixture.given(requested(), authorized(), captured())
                .when(new VoidPaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void voidingAPendingDeclinedOrVoidedPaymentIsRefusedAsAConflict() {
        fixture.given(requested())
                .when(new VoidPaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), new PaymentDeclinedEvent(id, orderId, amount, "no"))
                .when(new VoidPaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(requested(), authorized(), voided())
                .when(new VoidPaymentCommand(id))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    private PaymentAuthorizationRequestedEvent requested() {
        return new PaymentAuthorizationRequestedEvent(id, orderId, amount);
    }

    private PaymentAuthorizedEvent authorized() {
        return new PaymentAuthorizedEvent(id, orderId, amount);
    }

    private PaymentAuthorizationCancelledEvent cancelled() {
        return new PaymentAuthorizationCancelledEvent(id, orderId);
    }

    private PaymentCapturedEvent captured() {
        return new PaymentCapturedEvent(id, orderId, amount);
    }

    private PaymentVoidedEvent voided() {
        return new PaymentVoidedEvent(id, orderId);
    }

    private PaymentRefundedEvent refunded(String refund, String total) {
        return new PaymentRefundedEvent(id, orderId, Money.of(refund, "EUR"), Money.of(total, "EUR"));
    }

    static Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }

    record Request(PaymentId paymentId, OrderId orderId, Money amount) {
    }

    /** Remembers what it was asked and never answers: answers are commands, tested on their own above. */
    static final class RecordingProvider implements PaymentProvider {
        final List<Request> requests = new ArrayList<>();
        final List<UnitOfWork.Phase> phases = new ArrayList<>();

        @Override
        public CompletableFuture<AuthorizationResult> authorize(PaymentId paymentId, OrderId orderId, Money amount) {
            requests.add(new Request(paymentId, orderId, amount));
            phases.add(CurrentUnitOfWork.map(UnitOfWork::phase).orElse(null));
            return new CompletableFuture<>();
        }
    }
}
