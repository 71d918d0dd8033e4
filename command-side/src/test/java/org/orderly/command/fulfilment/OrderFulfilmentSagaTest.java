package org.orderly.command.fulfilment;

import java.time.Duration;
import java.util.List;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.inventory.CommitStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
import org.orderly.api.inventory.ReservationOutcome;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.inventory.StockReservationRejectedEvent;
import org.orderly.api.inventory.StockReservedEvent;
import org.orderly.api.order.CancelOrderCommand;
import org.orderly.api.order.ConfirmOrderCommand;
import org.orderly.api.order.MarkOrderDeliveredCommand;
import org.orderly.api.order.MarkOrderShippedCommand;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.RejectOrderCommand;
import org.orderly.api.payment.AuthorizationOutcome;
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentLine;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.config.saga.StepSaga;

class OrderFulfilmentSagaTest {

    private final OrderId orderId = OrderId.newId();
    private final CustomerId customerId = CustomerId.newId();
    private final ProductId pen = ProductId.newId();
    private final ProductId ink = ProductId.newId();
    private final Money total = Money.of("10.00", "EUR");
    private final PaymentId paymentId = OrderFulfilmentSaga.paymentIdFor(orderId);
    private final ShipmentId shipmentId = OrderFulfilmentSaga.shipmentIdFor(orderId);
    private final String order = orderId.toString();
    private final FulfilmentProperties settings = new FulfilmentProperties(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofDays(7), Duration.ofDays(30), 2, 3, Duration.ofSeconds(1), Duration.ofMinutes(5));
    private SagaTestFixture<OrderFulfilmentSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(OrderFulfilmentSaga.class);
        fixture.registerResource(settings);
        fixture.registerResource(DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build());
    }

    private OrderPlacedEvent placed() {
        return new OrderPlacedEvent(orderId, customerId, List.of(
                new OrderLine(pen, "Pen", 2, Money.of("1.50", "EUR")),
                new OrderLine(ink, "Ink", 1, Money.of("7.00", "EUR"))), total);
    }

    private Object[] reserved() {
        return new Object[]{new StockReservedEvent(pen, orderId, 2), new StockReservedEvent(ink, orderId, 1)};
    }

    private void givenAuthorizing() {
        fixture.givenAggregate(order).published(placed())
                .andThenAggregate("inventory").published(reserved());
    }

    private void givenAwaitingDispatch() {
        givenAuthorizing();
        fixture.andThenAPublished(new PaymentAuthorizedEvent(paymentId, orderId, total));
    }

    @Test
    void aPlacedOrderReservesEveryLineAndWaitsWithADeadline() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(placed())
                .expectActiveSagas(1)
                .expectAssociationWith("orderId", orderId)
                .expectDispatchedCommands(new ReserveStockCommand(pen, orderId, 2), new ReserveStockCommand(ink, orderId, 1))
                .expectScheduledDeadlineWithName(settings.reservationTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void onceEveryLineIsReservedThePaymentIsAuthorizedForTheTotalUnderAnIdDerivedFromTheOrder() {
        fixture.givenAggregate(order).published(placed())
                .andThenAPublished(new StockReservedEvent(pen, orderId, 2))
                .whenPublishingA(new StockReservedEvent(ink, orderId, 1))
                .expectDispatchedCommands(new AuthorizePaymentCommand(paymentId, orderId, total))
                .expectScheduledDeadlineWithName(settings.paymentTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aDuplicateReservationAnswerIsIgnored() {
        fixture.givenAggregate(order).published(placed())
                .andThenAPublished(new StockReservedEvent(pen, orderId, 2))
                .whenPublishingA(new StockReservedEvent(pen, orderId, 2))
                .expectNoDispatchedCommands();
    }

    @Test
    void aShortLineReleasesEveryReservationAndRejectsTheOrderAsOutOfStock() {
        fixture.givenAggregate(order).published(placed())
                .andThenAPublished(new StockReservedEvent(pen, orderId, 2))
                .whenPublishingA(new StockReservationRejectedEvent(ink, orderId, 1, 0))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new RejectOrderCommand(orderId, "out of stock"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aProductWithNoInventoryAtAllCountsAsOutOfStock() {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReserveStockCommand reserve && reserve.productId().equals(ink)) {
                throw new CommandExecutionException("none", null, Refusal.notFound("No resource"));
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenPublishingA(placed())
                .expectActiveSagas(1);
        fixture.givenAggregate(order).published(placed())
                .whenPublishingA(new StockReservedEvent(pen, orderId, 2))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new RejectOrderCommand(orderId, "out of stock"))
                .expectActiveSagas(0);
    }

    @Test
    void anAuthorizedPaymentConfirmsTheOrderAndCreatesTheShipmentOfItsLines() {
        givenAuthorizing();
        fixture.whenPublishingA(new PaymentAuthorizedEvent(paymentId, orderId, total))
                .expectDispatchedCommands(new ConfirmOrderCommand(orderId), new CreateShipmentCommand(shipmentId, orderId,
                        List.of(new ShipmentLine(pen, 2), new ShipmentLine(ink, 1))))
                .expectScheduledDeadlineWithName(settings.dispatchTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aDeclinedPaymentReleasesTheStockAndRejectsTheOrder() {
        givenAuthorizing();
        fixture.whenPublishingA(new PaymentDeclinedEvent(paymentId, orderId, total, "limit"))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new RejectOrderCommand(orderId, "payment declined"))
                .expectActiveSagas(0);
    }

    @Test
    void anUnansweredPaymentIsAskedForAgainUnderAFreshDeadline() {
        givenAuthorizing();
        fixture.whenTimeElapses(settings.paymentTimeout())
                .expectDispatchedCommands(new AuthorizePaymentCommand(paymentId, orderId, total))
                .expectScheduledDeadlineWithName(settings.paymentTimeout(), StepSaga.STAGE_TIMEOUT)
                .expectActiveSagas(1);
    }

    @Test
    void aPaymentApprovedOnTheRepeatedRequestConfirmsTheOrder() {
        givenAuthorizing();
        fixture.setCallbackBehavior((command, metaData) -> command instanceof AuthorizePaymentCommand
                ? new AuthorizationOutcome(PaymentStatus.AUTHORIZED, null) : null);
        fixture.whenTimeElapses(settings.paymentTimeout())
                .expectDispatchedCommands(new AuthorizePaymentCommand(paymentId, orderId, total),
                        new ConfirmOrderCommand(orderId), new CreateShipmentCommand(shipmentId, orderId,
                                List.of(new ShipmentLine(pen, 2), new ShipmentLine(ink, 1))))
                .expectScheduledDeadlineWithName(settings.dispatchTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aReservationWhoseAnswerWasLostIsAskedForAgainAndTheRepeatedCommandsAnswerCarriesTheOrderOn() {
        fixture.givenAggregate(order).published(placed())
                .andThenAPublished(new StockReservedEvent(pen, orderId, 2));
        // the answer for the ink never arrives; asked again, the inventory answers with what it did
        fixture.setCallbackBehavior((command, metaData) -> command instanceof ReserveStockCommand
                ? ReservationOutcome.RESERVED : null);
        fixture.whenTimeElapses(settings.reservationTimeout())
                .expectDispatchedCommands(new ReserveStockCommand(ink, orderId, 1),
                        new AuthorizePaymentCommand(paymentId, orderId, total))
                .expectScheduledDeadlineWithName(settings.paymentTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aShipmentThatAlreadyExistsCountsAsCreatedHoweverTheRefusalIsWrapped() {
        for (RuntimeException exists : List.of(
                new AggregateStreamCreationException("Cannot reuse aggregate identifier"),
                new CommandExecutionException("exists", new EventStoreException("append failed",
                        new AggregateStreamCreationException("Cannot reuse aggregate identifier [x]"))),
                new CommandExecutionException("Cannot reuse aggregate identifier [x] to create aggregate", null))) {
            setUp();
            fixture.setCallbackBehavior((command, metaData) -> {
                if (command instanceof CreateShipmentCommand) {
                    throw exists;
                }
                return null;
            });
            givenAuthorizing();
            fixture.whenPublishingA(new PaymentAuthorizedEvent(paymentId, orderId, total))
                    .expectDispatchedCommands(new ConfirmOrderCommand(orderId), new CreateShipmentCommand(shipmentId,
                            orderId, List.of(new ShipmentLine(pen, 2), new ShipmentLine(ink, 1))))
                    .expectScheduledDeadlineWithName(settings.dispatchTimeout(), StepSaga.STAGE_TIMEOUT);
        }
    }

    @Test
    void aPaymentSilentThroughEveryAskReleasesTheStockCancelsTheAuthorizationAndCancelsTheOrder() {
        givenAuthorizing();
        for (int ask = 0; ask < settings.stageResends(); ask++) {
            fixture.andThenTimeElapses(settings.paymentTimeout().plusSeconds(1));
        }
        fixture.whenTimeElapses(settings.paymentTimeout().plusSeconds(1))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new CancelOrderCommand(orderId, "payment timeout", null))
                .expectActiveSagas(0);
    }

    @Test
    void aLateApprovalAfterTheTimeoutNeverRevivesTheOrder() throws Exception {
        givenAuthorizing();
        fixture.andThenTimeElapses(settings.paymentTimeout().multipliedBy(settings.stageResends() + 1).plusSeconds(5))
                .whenPublishingA(new PaymentAuthorizedEvent(paymentId, orderId, total))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }

    @Test
    void aCustomerCancellationBeforeDispatchReleasesTheStockAndCancelsThePaymentButLeavesTheOrderAlone() {
        givenAwaitingDispatch();
        fixture.whenPublishingA(new OrderCancelledEvent(orderId, customerId, "changed my mind"))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aCustomerCancellationWhileReservingReleasesWhateverWasReservedAndVoidsAnyPayment() {
        fixture.givenAggregate(order).published(placed())
                .andThenAPublished(new StockReservedEvent(pen, orderId, 2))
                .whenPublishingA(new OrderCancelledEvent(orderId, customerId, "oops"))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId))
                .expectActiveSagas(0);
    }

    @Test
    void anOrderNotDispatchedInTimeIsCancelled() {
        givenAwaitingDispatch();
        fixture.whenTimeElapses(settings.dispatchTimeout().plusSeconds(1))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId),
                        new CancelOrderCommand(orderId, "not dispatched in time", null))
                .expectActiveSagas(0);
    }

    @Test
    void aDispatchedShipmentCommitsTheStockAndMarksTheOrderShipped() {
        givenAwaitingDispatch();
        fixture.whenPublishingA(new ShipmentDispatchedEvent(shipmentId, orderId))
                .expectDispatchedCommands(new CommitStockCommand(pen, orderId), new CommitStockCommand(ink, orderId),
                        new MarkOrderShippedCommand(orderId))
                .expectScheduledDeadlineWithName(settings.deliveryTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aDeliveryMarksTheOrderDeliveredCapturesThePaymentAndEndsTheSaga() {
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId))
                .whenPublishingA(new ShipmentDeliveredEvent(shipmentId, orderId))
                .expectDispatchedCommands(new MarkOrderDeliveredCommand(orderId), new CapturePaymentCommand(paymentId))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aCancellationArrivingAfterDispatchChangesNothing() {
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId))
                .whenPublishingA(new OrderCancelledEvent(orderId, customerId, "too late"))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void aFailingCompensationIsRetriedWithBackoff() {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReleaseStockCommand) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAuthorizing();
        fixture.whenPublishingA(new PaymentDeclinedEvent(paymentId, orderId, total, "limit"))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(settings.retryPolicy().backoff(1), StepSaga.STEP_RETRY);
    }

    @Test
    void aRetriedCompensationThatSucceedsFinishesTheCompensation() {
        boolean[] down = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReleaseStockCommand && down[0]) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAuthorizing();
        fixture.andThenAPublished(new PaymentDeclinedEvent(paymentId, orderId, total, "limit"));
        down[0] = false;
        fixture.whenTimeElapses(settings.retryPolicy().backoff(1))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new RejectOrderCommand(orderId, "payment declined"))
                .expectActiveSagas(0);
    }

    @Test
    void aCompensationThatKeepsFailingParksTheSagaUntilAnOperatorRetriesIt() throws Exception {
        boolean[] down = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReleaseStockCommand && down[0]) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAuthorizing();
        fixture.andThenAPublished(new PaymentDeclinedEvent(paymentId, orderId, total, "limit"))
                .andThenTimeElapses(Duration.ofHours(1));
        // three tries (the first and two retries) have failed: nothing is scheduled, nothing more is sent
        fixture.whenTimeElapses(Duration.ofHours(1))
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines()
                .expectActiveSagas(1);
    }

    @Test
    void anOperatorRetryResumesAParkedCompensation() throws Exception {
        boolean[] down = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ReleaseStockCommand && down[0]) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAuthorizing();
        fixture.andThenAPublished(new PaymentDeclinedEvent(paymentId, orderId, total, "limit"))
                .andThenTimeElapses(Duration.ofHours(1))
                .andThenTimeElapses(Duration.ofHours(1));
        down[0] = false;
        fixture.whenPublishingA(new WorkflowRetryRequestedEvent(OrderFulfilmentSaga.workflowIdFor(orderId)))
                .expectDispatchedCommands(new ReleaseStockCommand(pen, orderId), new ReleaseStockCommand(ink, orderId),
                        new CancelPaymentAuthorizationCommand(paymentId), new RejectOrderCommand(orderId, "payment declined"))
                .expectActiveSagas(0);
    }

    @Test
    void anOperatorRetryAfterTheDeliveryDeadlineWaitsForTheDeliveryAgainUnderAFreshDeadline() throws Exception {
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId))
                .andThenTimeElapses(settings.deliveryTimeout().plusSeconds(1));
        fixture.whenPublishingA(new WorkflowRetryRequestedEvent(OrderFulfilmentSaga.workflowIdFor(orderId)))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(settings.deliveryTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aDeliveryReportedAfterTheDeliveryDeadlineStillCompletesTheOrder() throws Exception {
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId))
                .andThenTimeElapses(settings.deliveryTimeout().plusSeconds(1));
        fixture.whenPublishingA(new ShipmentDeliveredEvent(shipmentId, orderId))
                .expectDispatchedCommands(new MarkOrderDeliveredCommand(orderId), new CapturePaymentCommand(paymentId))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aConfirmationThatKeepsFailingParksTheSagaAndClosesNothing() throws Exception {
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof ConfirmOrderCommand) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAwaitingDispatch();
        fixture.andThenTimeElapses(settings.retryPolicy().backoff(1));
        // the third try fails too: the saga waits for an operator, and the order stays as it is
        fixture.whenTimeElapses(Duration.ofHours(1))
                .expectDispatchedCommands(new ConfirmOrderCommand(orderId))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(1);
    }

    @Test
    void aDispatchReportedWhileTheShipmentStepIsStillRetriedCarriesTheOrderOn() throws Exception {
        boolean[] lost = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof CreateShipmentCommand && lost[0]) {
                throw new IllegalStateException("no answer within 10 s");
            }
            return null;
        });
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId));
        lost[0] = false;
        fixture.whenTimeElapses(settings.retryPolicy().backoff(1))
                .expectDispatchedCommands(new CreateShipmentCommand(shipmentId, orderId,
                                List.of(new ShipmentLine(pen, 2), new ShipmentLine(ink, 1))),
                        new CommitStockCommand(pen, orderId), new CommitStockCommand(ink, orderId),
                        new MarkOrderShippedCommand(orderId))
                .expectScheduledDeadlineWithName(settings.deliveryTimeout(), StepSaga.STAGE_TIMEOUT);
    }

    @Test
    void aDeliveryReportedBeforeTheOrderIsMarkedShippedIsNotLost() throws Exception {
        boolean[] down = {true};
        fixture.setCallbackBehavior((command, metaData) -> {
            if (command instanceof MarkOrderShippedCommand && down[0]) {
                throw new IllegalStateException("database down");
            }
            return null;
        });
        givenAwaitingDispatch();
        fixture.andThenAPublished(new ShipmentDispatchedEvent(shipmentId, orderId))
                .andThenAPublished(new ShipmentDeliveredEvent(shipmentId, orderId));
        down[0] = false;
        fixture.whenTimeElapses(settings.retryPolicy().backoff(1))
                .expectDispatchedCommands(new MarkOrderShippedCommand(orderId), new MarkOrderDeliveredCommand(orderId),
                        new CapturePaymentCommand(paymentId))
                .expectActiveSagas(0);
    }
}
