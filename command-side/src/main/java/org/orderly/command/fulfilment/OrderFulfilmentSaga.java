package org.orderly.command.fulfilment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
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
import org.orderly.api.workflow.WorkflowId;
import org.orderly.config.command.SagaCommand;
import org.orderly.config.command.SagaCommand.Outcome;
import org.orderly.config.saga.RetryPolicy;
import org.orderly.config.saga.SagaStep;
import org.orderly.config.saga.StepResult;
import org.orderly.config.saga.StepSaga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Fulfils a placed order: reserve stock for every line, authorize the total, confirm the order and create the
 * shipment; once the warehouse dispatches it, commit the stock and mark the order shipped; on delivery, mark
 * it delivered and capture the payment.
 * <p>
 * Stock short or payment declined reject the order; a customer's cancellation before dispatch, or a
 * reservation or provider that stays silent through every ask, close it too. Closing releases the stock and
 * cancels the authorization (a late approval is then voided by the payment itself and never revives the order).
 * <p>
 * Crash safety rests on the {@link StepSaga} toolkit and on idempotent commands with ids derived from the
 * order: a reservation or authorization whose request or answer a crash lost is asked again when its stage
 * deadline passes, and a repeated request answers with the outcome it already had ({@link ReservationOutcome},
 * {@link AuthorizationOutcome}); a repeated confirmation, shipment, commit or capture is a no-op that counts as
 * done. So a step that succeeded is never taken for a failure, and nothing is compensated that should stand.
 * A step that keeps failing (a domain unavailable) parks the saga for an operator rather than close the order:
 * {@code FAILED}, or {@code COMPENSATION_FAILED} while compensating.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class OrderFulfilmentSaga extends StepSaga<OrderFulfilmentSaga.Step> {

    static final String TYPE = "order-fulfilment";
    static final String OUT_OF_STOCK = "out of stock";
    static final String PAYMENT_DECLINED = "payment declined";
    static final String PAYMENT_TIMEOUT = "payment timeout";

    enum Step implements SagaStep {
        RESERVE_STOCK, AUTHORIZE_PAYMENT, CONFIRM_ORDER, CREATE_SHIPMENT, AWAIT_DISPATCH, COMMIT_STOCK,
        MARK_ORDER_SHIPPED, AWAIT_DELIVERY, MARK_ORDER_DELIVERED, CAPTURE_PAYMENT, RELEASE_STOCK, CANCEL_PAYMENT,
        REJECT_ORDER, CANCEL_ORDER
    }

    @JsonIgnore
    @Autowired
    private transient FulfilmentProperties settings;

    private OrderId orderId;
    private List<OrderLine> lines = new ArrayList<>();
    private Money total;
    private Set<ProductId> awaitingStock = new LinkedHashSet<>();
    private Set<ProductId> shortOf = new LinkedHashSet<>();
    /** Set before the request goes out: a request that timed out may still have created the payment. */
    private boolean paymentRequested;
    /** The warehouse reported the dispatch (from then on nothing can be undone) and the delivery. */
    private boolean dispatched;
    private boolean delivered;
    /** Why the order is rejected or cancelled, once the saga compensates. */
    private String closeReason;

    /** The payment the saga asks for: derived from the order, so that asking twice creates one payment. */
    static PaymentId paymentIdFor(OrderId orderId) {
        return new PaymentId(UUID.nameUUIDFromBytes(("payment:" + orderId).getBytes(StandardCharsets.UTF_8)));
    }

    static ShipmentId shipmentIdFor(OrderId orderId) {
        return new ShipmentId(UUID.nameUUIDFromBytes(("shipment:" + orderId).getBytes(StandardCharsets.UTF_8)));
    }

    static WorkflowId workflowIdFor(OrderId orderId) {
        return WorkflowId.forBusiness(TYPE, orderId.toString());
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "orderId")
    void on(OrderPlacedEvent event) {
        orderId = event.orderId();
        begin(TYPE, workflowIdFor(orderId), orderId.toString());
        lines = new ArrayList<>(event.lines());
        total = event.total();
        lines.forEach(line -> awaitingStock.add(line.productId()));
        await(Step.RESERVE_STOCK, settings.reservationTimeout(), true);
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(StockReservedEvent event) {
        reservationAnswered(event.productId(), true);
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(StockReservationRejectedEvent event) {
        reservationAnswered(event.productId(), false);
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(PaymentAuthorizedEvent event) {
        paymentAnswered(true, null);
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(PaymentDeclinedEvent event) {
        paymentAnswered(false, event.reason());
        publish();
    }

    /** The customer cancelled (the order refuses it once dispatched); the saga's own cancellations end here too. */
    @SagaEventHandler(associationProperty = "orderId")
    void on(OrderCancelledEvent event) {
        if (isCompensating() || hasEnded() || dispatched) {
            return;
        }
        // The reason is the customer's own text, personal data sealed in their event: the saga's state and its
        // workflow, which name no data subject, keep none of it.
        failRunningSteps("order cancelled");
        close(null, "order cancelled");
        publish();
    }

    /**
     * The warehouse may report a dispatch before the saga knows its shipment was created (the creation's answer
     * was lost and is being retried): the goods have left all the same, so the saga remembers it and carries on
     * once the shipment step is done. A delivery reported early is remembered alike.
     */
    @SagaEventHandler(associationProperty = "orderId")
    void on(ShipmentDispatchedEvent event) {
        if (isCompensating() || hasEnded() || dispatched) {
            return;
        }
        dispatched = true;
        if (awaiting(Step.AWAIT_DISPATCH)) {
            shipmentDispatched();
            publish();
        }
    }

    /** Also a delivery reported after its deadline parked the saga: it is still the delivery it waited for. */
    @SagaEventHandler(associationProperty = "orderId")
    void on(ShipmentDeliveredEvent event) {
        if (!dispatched || hasEnded() || delivered) {
            return;
        }
        delivered = true;
        if (awaiting(Step.AWAIT_DELIVERY)) {
            shipmentDelivered();
            publish();
        }
    }

    private void shipmentDispatched() {
        passed(Step.AWAIT_DISPATCH);
        work(Step.COMMIT_STOCK, Step.MARK_ORDER_SHIPPED);
    }

    private void shipmentDelivered() {
        passed(Step.AWAIT_DELIVERY);
        work(Step.MARK_ORDER_DELIVERED, Step.CAPTURE_PAYMENT);
    }

    /** An answer for a line, by event or by the reservation command itself; a repeated one is ignored. */
    private void reservationAnswered(ProductId productId, boolean reserved) {
        if (!awaiting(Step.RESERVE_STOCK) || !awaitingStock.remove(productId)) {
            return;
        }
        if (!reserved) {
            shortOf.add(productId);
        }
        if (!awaitingStock.isEmpty()) {
            return;
        }
        if (!shortOf.isEmpty()) {
            failed(Step.RESERVE_STOCK, OUT_OF_STOCK + ": " + shortOf.stream().map(ProductId::toString).toList());
            close(Step.REJECT_ORDER, OUT_OF_STOCK);
            return;
        }
        passed(Step.RESERVE_STOCK);
        await(Step.AUTHORIZE_PAYMENT, settings.paymentTimeout(), true);
    }

    /** Anything but a waiting saga means the answer is late or repeated: the payment voids a late approval. */
    private void paymentAnswered(boolean approved, String declineReason) {
        if (!awaiting(Step.AUTHORIZE_PAYMENT)) {
            return;
        }
        if (approved) {
            passed(Step.AUTHORIZE_PAYMENT);
            work(Step.CONFIRM_ORDER, Step.CREATE_SHIPMENT);
        } else {
            failed(Step.AUTHORIZE_PAYMENT, declineReason);
            close(Step.REJECT_ORDER, PAYMENT_DECLINED);
        }
    }

    @Override
    protected StepResult perform(Step step) {
        return switch (step) {
            case RESERVE_STOCK -> reserve();
            case AUTHORIZE_PAYMENT -> authorize();
            case CONFIRM_ORDER -> {
                SagaCommand.Result result = send(new ConfirmOrderCommand(orderId));
                // Refused: the order left PENDING (the customer cancelled it); retrying cannot help.
                yield result.done() || result.outcome() == Outcome.FAILED ? StepResult.of(result)
                        : StepResult.fail(result.error());
            }
            case CREATE_SHIPMENT -> StepResult.of(send(new CreateShipmentCommand(shipmentIdFor(orderId), orderId,
                    lines.stream().map(line -> new ShipmentLine(line.productId(), line.quantity())).toList())),
                    Outcome.ALREADY_EXISTS);
            case COMMIT_STOCK -> eachLine(line -> new CommitStockCommand(line.productId(), orderId));
            case MARK_ORDER_SHIPPED -> StepResult.of(send(new MarkOrderShippedCommand(orderId)));
            case MARK_ORDER_DELIVERED -> StepResult.of(send(new MarkOrderDeliveredCommand(orderId)));
            case CAPTURE_PAYMENT -> StepResult.of(send(new CapturePaymentCommand(paymentIdFor(orderId))));
            case RELEASE_STOCK -> eachLine(line -> new ReleaseStockCommand(line.productId(), orderId), Outcome.NOT_FOUND);
            case CANCEL_PAYMENT -> StepResult.of(send(new CancelPaymentAuthorizationCommand(paymentIdFor(orderId))),
                    Outcome.NOT_FOUND);
            // Refused as a conflict: the order is already closed (cancelled by its customer meanwhile).
            case REJECT_ORDER -> StepResult.of(send(new RejectOrderCommand(orderId, closeReason)),
                    Outcome.NOT_FOUND, Outcome.CONFLICT);
            case CANCEL_ORDER -> StepResult.of(send(new CancelOrderCommand(orderId, closeReason, null)),
                    Outcome.NOT_FOUND, Outcome.CONFLICT);
            case AWAIT_DISPATCH, AWAIT_DELIVERY -> StepResult.sent(); // the warehouse's to report
        };
    }

    /** Asks for every line still unanswered; a command that answers (first time or repeated) is taken in at once. */
    private StepResult reserve() {
        String failure = null;
        for (OrderLine line : lines) {
            if (!awaiting(Step.RESERVE_STOCK)) {
                break; // the last answer moved the saga on
            }
            if (!awaitingStock.contains(line.productId())) {
                continue;
            }
            SagaCommand.Result result = send(new ReserveStockCommand(line.productId(), orderId, line.quantity()));
            switch (result.outcome()) {
                case DONE -> {
                    if (result.value() instanceof ReservationOutcome outcome) {
                        reservationAnswered(line.productId(), outcome.held());
                    } // else its event brings the answer
                }
                case NOT_FOUND -> reservationAnswered(line.productId(), false); // no stock was ever received
                default -> failure = result.error();
            }
        }
        return failure == null ? StepResult.sent() : StepResult.retry(failure);
    }

    private StepResult authorize() {
        paymentRequested = true;
        SagaCommand.Result result = send(new AuthorizePaymentCommand(paymentIdFor(orderId), orderId, total));
        switch (result.outcome()) {
            case DONE, ALREADY_EXISTS -> {
                if (result.value() instanceof AuthorizationOutcome outcome) {
                    if (outcome.status() == PaymentStatus.AUTHORIZED) {
                        paymentAnswered(true, null);
                    } else if (outcome.status() == PaymentStatus.DECLINED) {
                        paymentAnswered(false, outcome.declineReason());
                    }
                } // pending: the provider's answer comes as an event
                return StepResult.sent();
            }
            case FAILED -> {
                return StepResult.retry(result.error());
            }
            default -> {
                return StepResult.fail(result.error());
            }
        }
    }

    private StepResult eachLine(Function<OrderLine, Object> command, Outcome... alsoDone) {
        for (OrderLine line : lines) {
            StepResult result = StepResult.of(send(command.apply(line)), alsoDone);
            if (result.kind() != StepResult.Kind.DONE) {
                return result;
            }
        }
        return StepResult.done();
    }

    @Override
    protected void stepsDone(Step last) {
        if (last == Step.CREATE_SHIPMENT) {
            await(Step.AWAIT_DISPATCH, settings.dispatchTimeout(), false);
            if (dispatched) {
                shipmentDispatched();
            }
        } else if (last == Step.MARK_ORDER_SHIPPED) {
            await(Step.AWAIT_DELIVERY, settings.deliveryTimeout(), false);
            if (delivered) {
                shipmentDelivered();
            }
        } else {
            end(); // delivered and captured, or compensated
        }
    }

    @Override
    protected void timedOut(Step step) {
        switch (step) {
            case RESERVE_STOCK -> {
                failed(step, "no answer within " + settings.reservationTimeout());
                close(Step.REJECT_ORDER, "stock reservation timed out");
            }
            case AUTHORIZE_PAYMENT -> {
                failed(step, PAYMENT_TIMEOUT);
                close(Step.CANCEL_ORDER, PAYMENT_TIMEOUT);
            }
            case AWAIT_DISPATCH -> {
                failed(step, "not dispatched within " + settings.dispatchTimeout());
                close(Step.CANCEL_ORDER, "not dispatched in time");
            }
            default -> {
                failed(step, "no delivery within " + settings.deliveryTimeout());
                park();
            }
        }
    }

    /** Refused before dispatch, the order closes (the confirmation is refused once the customer cancelled). */
    @Override
    protected void gaveUp(Step step, String error) {
        if (isCompensating() || dispatched) {
            park();
        } else if (step == Step.AUTHORIZE_PAYMENT) {
            close(Step.REJECT_ORDER, "payment could not be requested");
        } else {
            close(Step.CANCEL_ORDER, "order could not be fulfilled: " + error);
        }
    }

    /**
     * Undoes what the saga did, then closes the order with {@code closeOrder}, or leaves it as it is when
     * {@code null} (the customer has already cancelled it).
     */
    private void close(Step closeOrder, String reason) {
        closeReason = reason;
        // The payment is always voided, asked for or not: a crash may have rolled back the saga's record of asking
        // after the payment was created, and voiding one that does not exist is done at once (not found).
        List<Step> actions = new ArrayList<>(List.of(Step.RELEASE_STOCK, Step.CANCEL_PAYMENT));
        if (closeOrder != null) {
            actions.add(closeOrder);
        }
        compensate(actions);
    }

    @Override
    protected Class<Step> stepType() {
        return Step.class;
    }

    @Override
    protected RetryPolicy policy() {
        return settings.retryPolicy();
    }
}
