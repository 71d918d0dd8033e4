package org.orderly.command.fulfilment;

import java.nio.charset.StandardCharsets;
import org.orderly.config.command.SagaCommand;
import org.orderly.config.command.WorkflowSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.spring.stereotype.Saga;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.inventory.CommitStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
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
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.FindPaymentQuery;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.payment.PaymentView;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.FindShippingWeightsQuery;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShippingWeights;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Fulfils a placed order: reserve stock for every line, authorize the total, confirm the order, create the
 * shipment, then, as the shipment moves, commit the stock and mark the order shipped, and on delivery mark
 * it delivered and capture the payment.
 * <p>
 * Failures compensate: stock short or payment declined reject the order, a silent provider or the
 * customer cancels it; either way the stock is released and the authorization cancelled (a late approval
 * is then voided by the payment itself, and never revives the order). Every waiting stage has a deadline.
 * <p>
 * Commands are sent and awaited inside the handler, so the saga decides on their outcome at once. They are
 * all idempotent (ids derived from the order id, aggregates that ignore a repeated step), so an event
 * redelivered after a crash simply sends them again. A failed step is retried with exponential backoff;
 * after {@code max-attempts} the saga parks: {@code COMPENSATION_FAILED} when compensating, {@code FAILED}
 * after dispatch (goods that left cannot be compensated), until an operator asks for a retry.
 * <p>
 * Each change is published as a {@link WorkflowUpdatedEvent} for the workflows read model.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class OrderFulfilmentSaga {

    static final String TYPE = "order-fulfilment";
    static final String TIMEOUT = "fulfilment-timeout";
    static final String RETRY = "fulfilment-retry";

    static final String RESERVE_STOCK = "reserve-stock";
    static final String AUTHORIZE_PAYMENT = "authorize-payment";
    static final String CONFIRM_ORDER = "confirm-order";
    static final String CREATE_SHIPMENT = "create-shipment";
    static final String AWAIT_DISPATCH = "await-dispatch";
    static final String COMMIT_STOCK = "commit-stock";
    static final String MARK_SHIPPED = "mark-order-shipped";
    static final String AWAIT_DELIVERY = "await-delivery";
    static final String MARK_DELIVERED = "mark-order-delivered";
    static final String CAPTURE_PAYMENT = "capture-payment";
    static final String RELEASE_STOCK = "release-stock";
    static final String CANCEL_PAYMENT = "cancel-payment";
    static final String REJECT_ORDER = "reject-order";
    static final String CANCEL_ORDER = "cancel-order";

    static final String OUT_OF_STOCK = "out of stock";
    static final String PAYMENT_DECLINED = "payment declined";
    static final String PAYMENT_TIMEOUT = "payment timeout";

    /**
     * RESERVING and AUTHORIZING wait for replies; FULFILLING, SHIPPING, COMPLETING and COMPENSATING work through
     * {@link #todo}; AWAITING_* wait for the shipment; PARKED waits for an operator.
     */
    enum Stage { RESERVING, AUTHORIZING, FULFILLING, AWAITING_DISPATCH, SHIPPING, AWAITING_DELIVERY, COMPLETING,
        COMPENSATING, PARKED, ENDED }

    @JsonIgnore
    @Autowired
    private transient CommandGateway commands;
    @JsonIgnore
    @Autowired
    private transient QueryGateway queries;
    @JsonIgnore
    @Autowired
    private transient EventGateway events;
    @JsonIgnore
    @Autowired
    private transient DeadlineManager deadlines;
    @JsonIgnore
    @Autowired
    private transient FulfilmentProperties settings;

    private OrderId orderId;
    private WorkflowId workflowId;
    private List<OrderLine> lines = new ArrayList<>();
    private Money total;
    private Stage stage;
    private Stage parkedFrom;
    private Set<ProductId> awaitingStock = new LinkedHashSet<>();
    private Set<ProductId> shortOf = new LinkedHashSet<>();
    private boolean paymentRequested;
    /** Why the order is rejected or cancelled, once the saga compensates. */
    private String closeReason;
    /** The actions left in the current working stage, first one next. */
    private List<String> todo = new ArrayList<>();
    private int attempts;
    private String deadlineName;
    private String deadlineId;
    private Instant deadline;
    private long revision;
    private List<WorkflowStep> steps = new ArrayList<>();

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
        workflowId = workflowIdFor(orderId);
        SagaLifecycle.associateWith("workflowId", workflowId.toString());
        lines = new ArrayList<>(event.lines());
        total = event.total();
        stage = Stage.RESERVING;
        lines.forEach(line -> awaitingStock.add(line.productId()));
        startStep(RESERVE_STOCK);
        waitFor(settings.getReservationTimeout());
        reserve();
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(StockReservedEvent event) {
        if (stage == Stage.RESERVING && awaitingStock.remove(event.productId())) {
            afterReservationAnswer();
            publish();
        }
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(StockReservationRejectedEvent event) {
        if (stage == Stage.RESERVING && awaitingStock.remove(event.productId())) {
            shortOf.add(event.productId());
            afterReservationAnswer();
            publish();
        }
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(PaymentAuthorizedEvent event) {
        // Anything but a waiting saga means the answer is late or repeated: the payment voids a late approval.
        if (stage != Stage.AUTHORIZING) {
            return;
        }
        endStep(AUTHORIZE_PAYMENT, "COMPLETED", null);
        work(Stage.FULFILLING, List.of(CONFIRM_ORDER, CREATE_SHIPMENT));
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(PaymentDeclinedEvent event) {
        if (stage != Stage.AUTHORIZING) {
            return;
        }
        endStep(AUTHORIZE_PAYMENT, "FAILED", event.reason());
        compensate(REJECT_ORDER, PAYMENT_DECLINED);
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(OrderCancelledEvent event) {
        // The customer cancelled (the order refuses it once dispatched). The saga's own cancellations end here too.
        if (stage == Stage.RESERVING || stage == Stage.AUTHORIZING || stage == Stage.FULFILLING
                || stage == Stage.AWAITING_DISPATCH) {
            failRunningSteps("order cancelled: " + event.reason());
            compensate(null, event.reason());
            publish();
        }
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(ShipmentDispatchedEvent event) {
        if (stage != Stage.AWAITING_DISPATCH) {
            return;
        }
        endStep(AWAIT_DISPATCH, "COMPLETED", null);
        work(Stage.SHIPPING, List.of(COMMIT_STOCK, MARK_SHIPPED));
        publish();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(ShipmentDeliveredEvent event) {
        // A delivery reported after its deadline parked the saga is still the delivery it waited for.
        if (stage == Stage.PARKED && parkedFrom == Stage.AWAITING_DELIVERY) {
            stage = Stage.AWAITING_DELIVERY;
            parkedFrom = null;
        }
        if (stage != Stage.AWAITING_DELIVERY) {
            return;
        }
        endStep(AWAIT_DELIVERY, "COMPLETED", null);
        work(Stage.COMPLETING, List.of(MARK_DELIVERED, CAPTURE_PAYMENT));
        publish();
    }

    @SagaEventHandler(associationProperty = "workflowId")
    void on(WorkflowRetryRequestedEvent event) {
        if (stage != Stage.PARKED) {
            return;
        }
        stage = parkedFrom;
        parkedFrom = null;
        attempts = 0;
        if (stage == Stage.AWAITING_DELIVERY) {
            // Only the wait failed: wait for the delivery again, under a fresh deadline.
            startStep(AWAIT_DELIVERY);
            waitFor(settings.getDeliveryTimeout());
        } else {
            runTodo();
        }
        publish();
    }

    @DeadlineHandler(deadlineName = TIMEOUT)
    void onTimeout(FulfilmentTimeout timeout) {
        if (stage == null || !stage.name().equals(timeout.stage())) {
            return; // set for a stage the saga has left
        }
        forgetDeadline();
        switch (stage) {
            case RESERVING -> {
                endStep(RESERVE_STOCK, "FAILED", "no answer within " + settings.getReservationTimeout());
                compensate(REJECT_ORDER, "stock reservation timed out");
            }
            case AUTHORIZING -> {
                endStep(AUTHORIZE_PAYMENT, "FAILED", PAYMENT_TIMEOUT);
                compensate(CANCEL_ORDER, PAYMENT_TIMEOUT);
            }
            case AWAITING_DISPATCH -> {
                endStep(AWAIT_DISPATCH, "FAILED", "not dispatched within " + settings.getDispatchTimeout());
                compensate(CANCEL_ORDER, "not dispatched in time");
            }
            case AWAITING_DELIVERY -> {
                endStep(AWAIT_DELIVERY, "FAILED", "no delivery within " + settings.getDeliveryTimeout());
                park(Stage.AWAITING_DELIVERY);
            }
            default -> {
                return;
            }
        }
        publish();
    }

    @DeadlineHandler(deadlineName = RETRY)
    void onRetry(FulfilmentTimeout retry) {
        if (stage == null || !stage.name().equals(retry.stage()) || retry.attempt() != attempts) {
            return;
        }
        if (RETRY.equals(deadlineName)) {
            forgetDeadline();
        }
        switch (stage) {
            case RESERVING -> reserve();
            case AUTHORIZING -> authorize();
            default -> runTodo();
        }
        publish();
    }

    private void reserve() {
        String failure = null;
        for (OrderLine line : lines) {
            if (!awaitingStock.contains(line.productId())) {
                continue;
            }
            SagaCommand.Result result = SagaCommand.send(commands,
                    new ReserveStockCommand(line.productId(), orderId, line.quantity()));
            switch (result.outcome()) {
                case DONE -> { } // the answer arrives as an event
                case NOT_FOUND -> { // no stock was ever received for the product
                    awaitingStock.remove(line.productId());
                    shortOf.add(line.productId());
                }
                default -> failure = result.error();
            }
        }
        if (failure != null) {
            retryOrGiveUp(RESERVE_STOCK, failure);
        } else {
            afterReservationAnswer();
        }
    }

    private void afterReservationAnswer() {
        if (stage != Stage.RESERVING || !awaitingStock.isEmpty()) {
            return;
        }
        if (!shortOf.isEmpty()) {
            endStep(RESERVE_STOCK, "FAILED", OUT_OF_STOCK + ": " + shortOf.stream().map(ProductId::toString).toList());
            compensate(REJECT_ORDER, OUT_OF_STOCK);
            return;
        }
        endStep(RESERVE_STOCK, "COMPLETED", null);
        stage = Stage.AUTHORIZING;
        attempts = 0;
        startStep(AUTHORIZE_PAYMENT);
        waitFor(settings.getPaymentTimeout());
        authorize();
    }

    private void authorize() {
        // Set first: a command that timed out may still have created the payment, which compensation must cancel.
        paymentRequested = true;
        SagaCommand.Result result = SagaCommand.send(commands,
                new AuthorizePaymentCommand(paymentIdFor(orderId), orderId, total));
        switch (result.outcome()) {
            case DONE, ALREADY_EXISTS -> { } // the provider's answer arrives as an event
            case FAILED -> retryOrGiveUp(AUTHORIZE_PAYMENT, result.error());
            default -> {
                endStep(AUTHORIZE_PAYMENT, "FAILED", result.error());
                compensate(REJECT_ORDER, "payment could not be requested");
            }
        }
    }

    /** Starts a working stage: its actions run now, in order, each retried on failure. */
    private void work(Stage next, List<String> actions) {
        clearDeadline();
        stage = next;
        attempts = 0;
        todo = new ArrayList<>(actions);
        runTodo();
    }

    /**
     * Undoes what the saga did, then closes the order with {@code closeOrder}, or leaves it as it is when
     * {@code null} (the customer has already cancelled it).
     */
    private void compensate(String closeOrder, String reason) {
        clearDeadline();
        closeReason = reason;
        List<String> actions = new ArrayList<>();
        actions.add(RELEASE_STOCK);
        if (paymentRequested) {
            actions.add(CANCEL_PAYMENT);
        }
        if (closeOrder != null) {
            actions.add(closeOrder);
        }
        stage = Stage.COMPENSATING;
        attempts = 0;
        todo = actions;
        runTodo();
    }

    private void runTodo() {
        while (!todo.isEmpty()) {
            String action = todo.get(0);
            startStep(action);
            StepResult result = perform(action);
            if (result.done()) {
                endStep(action, "COMPLETED", null);
                todo.remove(0);
                attempts = 0;
            } else if (result.giveUpNow()) {
                endStep(action, "FAILED", result.error());
                giveUp(result.error());
                return;
            } else {
                retryOrGiveUp(action, result.error());
                return;
            }
        }
        switch (stage) {
            case FULFILLING -> {
                stage = Stage.AWAITING_DISPATCH;
                startStep(AWAIT_DISPATCH);
                waitFor(settings.getDispatchTimeout());
            }
            case SHIPPING -> {
                stage = Stage.AWAITING_DELIVERY;
                startStep(AWAIT_DELIVERY);
                waitFor(settings.getDeliveryTimeout());
            }
            case COMPLETING, COMPENSATING -> {
                stage = Stage.ENDED;
                SagaLifecycle.end();
            }
            default -> {
            }
        }
    }

    private record StepResult(boolean done, boolean giveUpNow, String error) {
        static StepResult of(SagaCommand.Result result, SagaCommand.Outcome... alsoDone) {
            if (result.done() || List.of(alsoDone).contains(result.outcome())) {
                return new StepResult(true, false, null);
            }
            return new StepResult(false, false, result.error());
        }
    }

    private StepResult perform(String action) {
        return switch (action) {
            case CONFIRM_ORDER -> {
                SagaCommand.Result result = SagaCommand.send(commands, new ConfirmOrderCommand(orderId));
                // Refused: the order left PENDING (the customer cancelled it); retrying cannot help.
                boolean refused = result.outcome() != SagaCommand.Outcome.FAILED;
                yield result.done() ? StepResult.of(result) : new StepResult(false, refused, result.error());
            }
            case CREATE_SHIPMENT -> createShipment();
            case COMMIT_STOCK -> eachLine(line -> new CommitStockCommand(line.productId(), orderId));
            case MARK_SHIPPED -> StepResult.of(SagaCommand.send(commands, new MarkOrderShippedCommand(orderId)));
            case MARK_DELIVERED -> StepResult.of(SagaCommand.send(commands, new MarkOrderDeliveredCommand(orderId)));
            case CAPTURE_PAYMENT -> capture();
            case RELEASE_STOCK -> eachLine(line -> new ReleaseStockCommand(line.productId(), orderId),
                    SagaCommand.Outcome.NOT_FOUND);
            case CANCEL_PAYMENT -> StepResult.of(SagaCommand.send(commands,
                    new CancelPaymentAuthorizationCommand(paymentIdFor(orderId))), SagaCommand.Outcome.NOT_FOUND);
            // Refused as a conflict: the order is already closed (cancelled by its customer meanwhile).
            case REJECT_ORDER -> StepResult.of(SagaCommand.send(commands, new RejectOrderCommand(orderId, closeReason)),
                    SagaCommand.Outcome.NOT_FOUND, SagaCommand.Outcome.CONFLICT);
            case CANCEL_ORDER -> StepResult.of(SagaCommand.send(commands, new CancelOrderCommand(orderId, closeReason,
                    null)), SagaCommand.Outcome.NOT_FOUND, SagaCommand.Outcome.CONFLICT);
            default -> throw new IllegalStateException("Unknown action " + action);
        };
    }

    private StepResult eachLine(java.util.function.Function<OrderLine, Object> command,
                                SagaCommand.Outcome... alsoDone) {
        for (OrderLine line : lines) {
            StepResult result = StepResult.of(SagaCommand.send(commands, command.apply(line)), alsoDone);
            if (!result.done()) {
                return result;
            }
        }
        return new StepResult(true, false, null);
    }

    /**
     * Capturing twice is refused by the payment, so a refusal after a redelivery is checked against the
     * payments read model: captured there means done; otherwise (or while it lags) the step is retried.
     */
    private StepResult capture() {
        SagaCommand.Result result = SagaCommand.send(commands, new CapturePaymentCommand(paymentIdFor(orderId)));
        if (result.outcome() != SagaCommand.Outcome.CONFLICT) {
            return StepResult.of(result);
        }
        try {
            PaymentView payment = queries.query(new FindPaymentQuery(paymentIdFor(orderId)), PaymentView.class)
                    .get(SagaCommand.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (payment != null && (payment.status() == PaymentStatus.CAPTURED
                    || payment.status() == PaymentStatus.REFUNDED || payment.status() == PaymentStatus.PARTIALLY_REFUNDED)) {
                return new StepResult(true, false, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // retried below
        }
        return new StepResult(false, false, result.error());
    }

    /** The weights are the shipping domain's copy, taken now and fixed in the shipment. */
    private StepResult createShipment() {
        ShippingWeights weights;
        try {
            weights = queries.query(new FindShippingWeightsQuery(lines.stream().map(OrderLine::productId).toList()),
                    ShippingWeights.class).get(SagaCommand.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StepResult(false, false, "interrupted while reading shipping weights");
        } catch (Exception e) {
            return new StepResult(false, false, "shipping weights cannot be read: " + e.getMessage());
        }
        var byProduct = weights == null ? java.util.Map.<ProductId, Integer>of() : weights.byProduct();
        List<ShipmentItem> items = new ArrayList<>();
        for (OrderLine line : lines) {
            Integer weight = byProduct.get(line.productId());
            if (weight == null) {
                // The shipping domain's copy follows the catalog eventually: a retry may find it.
                return new StepResult(false, false, "no shipping weight for product " + line.productId());
            }
            items.add(new ShipmentItem(line.productId(), line.quantity(), weight));
        }
        return StepResult.of(SagaCommand.send(commands,
                new CreateShipmentCommand(shipmentIdFor(orderId), orderId, List.copyOf(items))),
                SagaCommand.Outcome.ALREADY_EXISTS);
    }

    private void retryOrGiveUp(String step, String error) {
        attempts++;
        recordError(step, error + " (attempt " + attempts + " of " + settings.getMaxAttempts() + ")");
        if (attempts >= settings.getMaxAttempts()) {
            endStep(step, "FAILED", error);
            giveUp(error);
            return;
        }
        // Waiting stages keep their own deadline; a retry then rides alongside it.
        if (stage != Stage.RESERVING && stage != Stage.AUTHORIZING) {
            clearDeadline();
            schedule(RETRY, settings.backoff(attempts));
        } else {
            deadlines.schedule(settings.backoff(attempts), RETRY, new FulfilmentTimeout(stage.name(), attempts));
        }
    }

    /** A step failed for good: before dispatch the order is undone, after it an operator must step in. */
    private void giveUp(String error) {
        switch (stage) {
            case RESERVING -> compensate(REJECT_ORDER, "stock could not be reserved");
            case AUTHORIZING -> compensate(REJECT_ORDER, "payment could not be requested");
            case FULFILLING -> compensate(CANCEL_ORDER, "order could not be fulfilled: " + error);
            default -> park(stage);
        }
    }

    private void park(Stage from) {
        clearDeadline();
        parkedFrom = from;
        stage = Stage.PARKED;
    }

    private void waitFor(Duration timeout) {
        clearDeadline();
        schedule(TIMEOUT, timeout);
    }

    private void schedule(String name, Duration after) {
        deadlineName = name;
        deadline = GenericEventMessage.clock.instant().plus(after);
        deadlineId = deadlines.schedule(after, name, new FulfilmentTimeout(stage.name(), attempts));
    }

    /** For a deadline handler: the deadline that fires is spent, and must not be cancelled while it runs. */
    private void forgetDeadline() {
        deadlineName = null;
        deadlineId = null;
        deadline = null;
    }

    private void clearDeadline() {
        if (deadlineId != null) {
            deadlines.cancelSchedule(deadlineName, deadlineId);
        }
        deadlineName = null;
        deadlineId = null;
        deadline = null;
    }

    private void startStep(String name) {
        WorkflowSteps.start(steps, name, GenericEventMessage.clock.instant());
    }

    private void endStep(String name, String status, String error) {
        WorkflowSteps.end(steps, name, status, error, GenericEventMessage.clock.instant());
    }

    private void recordError(String name, String error) {
        WorkflowSteps.recordError(steps, name, error);
    }

    private void failRunningSteps(String error) {
        for (WorkflowStep step : List.copyOf(steps)) {
            if ("RUNNING".equals(step.status())) {
                endStep(step.name(), "FAILED", error);
            }
        }
    }

    private WorkflowStatus status() {
        return switch (stage) {
            case COMPENSATING -> WorkflowStatus.COMPENSATING;
            case PARKED -> parkedFrom == Stage.COMPENSATING ? WorkflowStatus.COMPENSATION_FAILED : WorkflowStatus.FAILED;
            case ENDED -> steps.stream().anyMatch(s -> s.name().equals(RELEASE_STOCK))
                    ? WorkflowStatus.COMPENSATED : WorkflowStatus.COMPLETED;
            default -> WorkflowStatus.RUNNING;
        };
    }

    private String currentStep() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!"COMPLETED".equals(steps.get(i).status())) {
                return steps.get(i).name();
            }
        }
        return steps.isEmpty() ? null : steps.get(steps.size() - 1).name();
    }

    private void publish() {
        revision++;
        events.publish(new WorkflowUpdatedEvent(workflowId, TYPE, orderId.toString(), status(), currentStep(),
                deadline, revision, List.copyOf(steps)));
    }
}
