package org.orderly.command.returns;

import java.time.Duration;
import java.util.List;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.RefundPaymentCommand;
import org.orderly.api.returns.MarkReturnRefundedCommand;
import org.orderly.api.returns.MarkReturnRestockedCommand;
import org.orderly.api.returns.RejectReturnCommand;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnReceivedEvent;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.config.saga.StepDeadline;
import org.orderly.config.saga.StepSaga;

class ReturnSagaTest {

    private final ReturnId returnId = ReturnId.newId();
    private final OrderId orderId = OrderId.newId();
    private final ProductId pen = ProductId.newId();
    private final ProductId ink = ProductId.newId();
    private final Money refund = Money.of("10.00", "EUR");
    private final PaymentId paymentId = ReturnSaga.paymentIdFor(orderId);
    private final ReturnProperties settings = new ReturnProperties(Duration.ofDays(30), Duration.ofDays(14), 3,
            Duration.ofSeconds(1), Duration.ofMinutes(5));
    private SagaTestFixture<ReturnSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(ReturnSaga.class);
        fixture.registerResource(settings);
        fixture.registerResource(DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build());
    }

    private ReturnApprovedEvent approved() {
        return new ReturnApprovedEvent(returnId, orderId, List.of(new ReturnLine(pen, 2, Money.of("1.50", "EUR")),
                new ReturnLine(ink, 1, Money.of("7.00", "EUR"))), refund);
    }

    private String aggregate() {
        return returnId.toString();
    }

    @Test
    void anApprovedReturnWaitsForItsGoodsWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(approved())
                .expectActiveSagas(1)
                .expectAssociationWith("returnId", returnId)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(settings.receiptTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void receivedGoodsAreRestockedLineByLineThenThePaymentIsRefundedAtSnapshottedPricesAndTheSagaEnds() {
        fixture.givenAggregate(aggregate()).published(approved())
                .whenAggregate(aggregate()).publishes(new ReturnReceivedEvent(returnId, orderId))
                .expectDispatchedCommands(new ReceiveStockCommand(pen, 2, "return:" + returnId + ":" + pen), new ReceiveStockCommand(ink, 1, "return:" + returnId + ":" + ink),
                        new MarkReturnRestockedCommand(returnId), new RefundPaymentCommand(paymentId, refund, "return:" + returnId),
                        new MarkReturnRefundedCommand(returnId, paymentId))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(0);
    }

    @Test
    void thePaymentIdIsTheOneTheFulfilmentSagaDerivesFromTheOrder() {
        org.assertj.core.api.Assertions.assertThat(paymentId.value()).isEqualTo(java.util.UUID.nameUUIDFromBytes(
                ("payment:" + orderId).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void goodsThatNeverArriveWithdrawTheReturnWhenTheDeadlinePasses() {
        fixture.givenAggregate(aggregate()).published(approved())
                .whenTimeElapses(settings.receiptTimeout().plusSeconds(1))
                .expectDeadlinesMetMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                org.hamcrest.Matchers.instanceOf(StepDeadline.class))))
                .expectDispatchedCommands(new RejectReturnCommand(returnId,
                        "The returned goods did not arrive within 14 days"))
                .expectActiveSagas(0);
    }

    @Test
    void goodsReceivedJustBeforeTheDeadlineKeepTheReturnGoing() {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof RejectReturnCommand) {
                throw new CommandExecutionException("received", null, Refusal.conflict(null, "received"));
            }
            return null;
        });
        fixture.givenAggregate(aggregate()).published(approved())
                .whenTimeElapses(settings.receiptTimeout().plusSeconds(1))
                .expectDispatchedCommands(new RejectReturnCommand(returnId,
                                "The returned goods did not arrive within 14 days"),
                        new ReceiveStockCommand(pen, 2, "return:" + returnId + ":" + pen), new ReceiveStockCommand(ink, 1, "return:" + returnId + ":" + ink),
                        new MarkReturnRestockedCommand(returnId), new RefundPaymentCommand(paymentId, refund, "return:" + returnId),
                        new MarkReturnRefundedCommand(returnId, paymentId))
                .expectActiveSagas(0);
        // the receipt's own event, arriving now, finds nothing left to do
        fixture.whenAggregate(aggregate()).publishes(new ReturnReceivedEvent(returnId, orderId))
                .expectNoDispatchedCommands();
    }

    @Test
    void aReturnRejectedWhileWaitingEndsTheSagaWithNothingToUndo() {
        fixture.givenAggregate(aggregate()).published(approved())
                .whenAggregate(aggregate()).publishes(new ReturnRejectedEvent(returnId, orderId, "withdrawn"))
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines()
                .expectActiveSagas(0);
    }

    @Test
    void aFailedRefundIsRetriedWithBackoffWithoutRestockingAgain() {
        boolean[] failing = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof RefundPaymentCommand && failing[0]) {
                throw new CommandExecutionException("provider down", null);
            }
            return null;
        });
        fixture.givenAggregate(aggregate()).published(approved())
                .andThenAggregate(aggregate()).published(new ReturnReceivedEvent(returnId, orderId));
        failing[0] = false;
        fixture.whenTimeElapses(settings.retryPolicy().backoff(1))
                .expectDeadlinesMetMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                        org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                new org.hamcrest.CustomTypeSafeMatcher<StepDeadline>("the refund's retry") {
                                    @Override
                                    protected boolean matchesSafely(StepDeadline deadline) {
                                        return deadline.step().equals(ReturnSaga.Step.REFUND_PAYMENT.name());
                                    }
                                })))
                .expectDispatchedCommands(new RefundPaymentCommand(paymentId, refund, "return:" + returnId),
                        new MarkReturnRefundedCommand(returnId, paymentId))
                .expectActiveSagas(0);
    }

    @Test
    void aStepFailingEveryTryParksTheSagaUntilAnOperatorRetries() throws Exception {
        boolean[] failing = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReceiveStockCommand receive && receive.productId().equals(ink) && failing[0]) {
                throw new CommandExecutionException("inventory down", null);
            }
            return null;
        });
        fixture.givenAggregate(aggregate()).published(approved())
                .andThenAggregate(aggregate()).published(new ReturnReceivedEvent(returnId, orderId))
                .andThenTimeElapses(settings.retryPolicy().backoff(1))
                .andThenTimeElapses(settings.retryPolicy().backoff(2))
                .whenTimeElapses(Duration.ofHours(1))
                .expectNoScheduledDeadlines()
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
        failing[0] = false;
        fixture.whenPublishingA(new WorkflowRetryRequestedEvent(ReturnSaga.workflowIdFor(returnId)))
                // the pen was restocked on the first try and is not received twice
                .expectDispatchedCommands(new ReceiveStockCommand(ink, 1, "return:" + returnId + ":" + ink), new MarkReturnRestockedCommand(returnId),
                        new RefundPaymentCommand(paymentId, refund, "return:" + returnId), new MarkReturnRefundedCommand(returnId, paymentId))
                .expectActiveSagas(0);
    }
}
