package org.orderly.command.returns;

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
import org.axonframework.spring.stereotype.Saga;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
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
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Carries an approved return through: wait for the warehouse to receive the goods (a deadline: goods that
 * never arrive withdraw the return, whose units become returnable again), restock every line, refund the
 * order's payment for the returned lines at their snapshotted prices, and mark the return REFUNDED.
 * <p>
 * Commands are sent and awaited inside the handler. Restocking and refunding add up, so the saga remembers in
 * its own state each line it has restocked and whether it has refunded, and a retry never repeats a step that
 * succeeded. A failed step is retried with exponential backoff; after {@code max-attempts} the saga parks
 * ({@code FAILED}) until an operator asks for a retry. Each change is published as a
 * {@link WorkflowUpdatedEvent} for the workflows read model.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class ReturnSaga {

    static final String TYPE = "product-return";
    static final String TIMEOUT = "return-timeout";
    static final String RETRY = "return-retry";

    static final String AWAIT_RECEIPT = "await-receipt";
    static final String RESTOCK = "restock-inventory";
    static final String MARK_RESTOCKED = "mark-return-restocked";
    static final String REFUND = "refund-payment";
    static final String MARK_REFUNDED = "mark-return-refunded";
    static final String WITHDRAW = "withdraw-return";

    /** REFUNDING and WITHDRAWING work through {@link #todo}; PARKED waits for an operator. */
    enum Stage { AWAITING_RECEIPT, REFUNDING, WITHDRAWING, PARKED, ENDED }

    @JsonIgnore
    @Autowired
    private transient CommandGateway commands;
    @JsonIgnore
    @Autowired
    private transient EventGateway events;
    @JsonIgnore
    @Autowired
    private transient DeadlineManager deadlines;
    @JsonIgnore
    @Autowired
    private transient ReturnProperties settings;

    private ReturnId returnId;
    private OrderId orderId;
    private WorkflowId workflowId;
    private List<ReturnLine> lines = new ArrayList<>();
    private Money refund;
    private Stage stage;
    private Stage parkedFrom;
    private List<String> todo = new ArrayList<>();
    private Set<ProductId> restocked = new LinkedHashSet<>();
    private boolean refunded;
    /** Set when withdrawing found the goods received meanwhile: their event is on its way. */
    private boolean receivedMeanwhile;
    private int attempts;
    private String deadlineName;
    private String deadlineId;
    private Instant deadline;
    private long revision;
    private List<WorkflowStep> steps = new ArrayList<>();

    /**
     * The payment the order fulfilment saga asked for: it derives the id from the order id the same way, so
     * that anyone who knows the order knows its payment.
     */
    static PaymentId paymentIdFor(OrderId orderId) {
        return new PaymentId(UUID.nameUUIDFromBytes(("payment:" + orderId).getBytes(StandardCharsets.UTF_8)));
    }

    static WorkflowId workflowIdFor(ReturnId returnId) {
        return WorkflowId.forBusiness(TYPE, returnId.toString());
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "returnId")
    void on(ReturnApprovedEvent event) {
        returnId = event.returnId();
        orderId = event.orderId();
        workflowId = workflowIdFor(returnId);
        SagaLifecycle.associateWith("workflowId", workflowId.toString());
        lines = new ArrayList<>(event.lines());
        refund = event.refund();
        stage = Stage.AWAITING_RECEIPT;
        startStep(AWAIT_RECEIPT);
        schedule(TIMEOUT, settings.receiptTimeout());
        publish();
    }

    @SagaEventHandler(associationProperty = "returnId")
    void on(ReturnReceivedEvent event) {
        if (stage != Stage.AWAITING_RECEIPT) {
            return;
        }
        clearDeadline();
        endStep(AWAIT_RECEIPT, "COMPLETED", null);
        stage = Stage.REFUNDING;
        attempts = 0;
        todo = new ArrayList<>(List.of(RESTOCK, MARK_RESTOCKED, REFUND, MARK_REFUNDED));
        runTodo();
        publish();
    }

    /** Rejected by someone else while waiting: nothing was restocked or refunded, so nothing is left to do. */
    @SagaEventHandler(associationProperty = "returnId")
    void on(ReturnRejectedEvent event) {
        if (stage != Stage.AWAITING_RECEIPT) {
            return;
        }
        clearDeadline();
        endStep(AWAIT_RECEIPT, "FAILED", "return rejected: " + event.reason());
        end();
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
        runTodo();
        publish();
    }

    @DeadlineHandler(deadlineName = TIMEOUT)
    void onTimeout(ReturnTimeout timeout) {
        if (stage != Stage.AWAITING_RECEIPT || !stage.name().equals(timeout.stage())) {
            return; // set for a stage the saga has left
        }
        forgetDeadline();
        endStep(AWAIT_RECEIPT, "FAILED", "goods not received within " + settings.receiptTimeout());
        stage = Stage.WITHDRAWING;
        attempts = 0;
        todo = new ArrayList<>(List.of(WITHDRAW));
        runTodo();
        publish();
    }

    @DeadlineHandler(deadlineName = RETRY)
    void onRetry(ReturnTimeout retry) {
        if (stage == null || !stage.name().equals(retry.stage()) || retry.attempt() != attempts) {
            return;
        }
        forgetDeadline();
        runTodo();
        publish();
    }

    private void runTodo() {
        while (!todo.isEmpty()) {
            String action = todo.get(0);
            startStep(action);
            StepResult result = perform(action);
            if (!result.done()) {
                retryOrGiveUp(action, result.error());
                return;
            }
            endStep(action, "COMPLETED", null);
            todo.remove(0);
            attempts = 0;
        }
        if (stage == Stage.WITHDRAWING && receivedMeanwhile) {
            // The warehouse confirmed just before the deadline fired; its event carries the return on.
            receivedMeanwhile = false;
            stage = Stage.AWAITING_RECEIPT;
            startStep(AWAIT_RECEIPT);
            schedule(TIMEOUT, settings.receiptTimeout());
            return;
        }
        end();
    }

    private record StepResult(boolean done, String error) {
        static StepResult of(SagaCommand.Result result, SagaCommand.Outcome... alsoDone) {
            if (result.done() || List.of(alsoDone).contains(result.outcome())) {
                return new StepResult(true, null);
            }
            return new StepResult(false, result.error());
        }
    }

    private StepResult perform(String action) {
        return switch (action) {
            case RESTOCK -> restock();
            case MARK_RESTOCKED -> StepResult.of(SagaCommand.send(commands, new MarkReturnRestockedCommand(returnId)));
            case REFUND -> refund();
            case MARK_REFUNDED -> StepResult.of(SagaCommand.send(commands,
                    new MarkReturnRefundedCommand(returnId, paymentIdFor(orderId))));
            case WITHDRAW -> {
                SagaCommand.Result result = SagaCommand.send(commands, new RejectReturnCommand(returnId,
                        "The returned goods did not arrive within " + settings.receiptTimeout().toDays() + " days"));
                if (result.outcome() == SagaCommand.Outcome.CONFLICT) {
                    receivedMeanwhile = true; // refused only once received
                    yield new StepResult(true, null);
                }
                yield StepResult.of(result);
            }
            default -> throw new IllegalStateException("Unknown action " + action);
        };
    }

    /** One receipt per line, each remembered once it succeeded, so that a retry restocks only what is missing. */
    private StepResult restock() {
        for (ReturnLine line : lines) {
            if (restocked.contains(line.productId())) {
                continue;
            }
            SagaCommand.Result result = SagaCommand.send(commands,
                    new ReceiveStockCommand(line.productId(), line.quantity(), "return:" + returnId + ":" + line.productId()));
            if (!result.done()) {
                return StepResult.of(result);
            }
            restocked.add(line.productId());
        }
        return new StepResult(true, null);
    }

    private StepResult refund() {
        if (refunded || !refund.isPositive()) {
            return new StepResult(true, null);
        }
        SagaCommand.Result result = SagaCommand.send(commands, new RefundPaymentCommand(paymentIdFor(orderId), refund, "return:" + returnId));
        if (result.done()) {
            refunded = true;
        }
        return StepResult.of(result);
    }

    private void retryOrGiveUp(String step, String error) {
        attempts++;
        recordError(step, error + " (attempt " + attempts + " of " + settings.maxAttempts() + ")");
        if (attempts >= settings.maxAttempts()) {
            endStep(step, "FAILED", error);
            clearDeadline();
            parkedFrom = stage;
            stage = Stage.PARKED;
            return;
        }
        clearDeadline();
        schedule(RETRY, settings.backoff(attempts));
    }

    private void end() {
        clearDeadline();
        stage = Stage.ENDED;
        SagaLifecycle.end();
    }

    private void schedule(String name, Duration after) {
        deadlineName = name;
        deadline = GenericEventMessage.clock.instant().plus(after);
        deadlineId = deadlines.schedule(after, name, new ReturnTimeout(stage.name(), attempts));
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
        forgetDeadline();
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

    private WorkflowStatus status() {
        return switch (stage) {
            case WITHDRAWING -> WorkflowStatus.COMPENSATING;
            case PARKED -> parkedFrom == Stage.WITHDRAWING ? WorkflowStatus.COMPENSATION_FAILED : WorkflowStatus.FAILED;
            case ENDED -> steps.stream().anyMatch(s -> s.name().equals(MARK_REFUNDED) && "COMPLETED".equals(s.status()))
                    ? WorkflowStatus.COMPLETED : WorkflowStatus.COMPENSATED;
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
        events.publish(new WorkflowUpdatedEvent(workflowId, TYPE, returnId.toString(), status(), currentStep(),
                deadline, revision, List.copyOf(steps)));
    }
}
