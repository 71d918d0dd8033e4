package org.orderly.command.returns;

import java.nio.charset.StandardCharsets;
import org.orderly.config.command.SagaCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.modelling.saga.SagaEventHandler;
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
import org.orderly.config.saga.RetryPolicy;
import org.orderly.config.saga.SagaStep;
import org.orderly.config.saga.StepResult;
import org.orderly.config.saga.StepSaga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Carries an approved return through: wait for the warehouse to receive the goods (a deadline: goods that
 * never arrive withdraw the return, whose units become returnable again), restock every line, refund the
 * order's payment for the returned lines at their snapshotted prices, and mark the return REFUNDED.
 * <p>
 * Restocking and refunding add up, so both carry a reference derived from the return that the inventory and the
 * payment remember: sent again after a crash or a retry, they add nothing. The saga also remembers each line it
 * has restocked and whether it has refunded, so a retry sends only what is missing. A failed step is retried
 * with exponential backoff ({@link StepSaga}); after {@code max-attempts} the saga parks ({@code FAILED}) until
 * an operator asks for a retry.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class ReturnSaga extends StepSaga<ReturnSaga.Step> {

    static final String TYPE = "product-return";
    static final String RECEIVED_MEANWHILE = "the goods were received meanwhile";

    enum Step implements SagaStep {
        AWAIT_RECEIPT, RESTOCK_INVENTORY, MARK_RETURN_RESTOCKED, REFUND_PAYMENT, MARK_RETURN_REFUNDED, WITHDRAW_RETURN
    }

    @JsonIgnore
    @Autowired
    private transient ReturnProperties settings;

    private ReturnId returnId;
    private OrderId orderId;
    private List<ReturnLine> lines = new ArrayList<>();
    private Money refund;
    private Set<ProductId> restocked = new LinkedHashSet<>();
    private boolean refunded;

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
        begin(TYPE, workflowIdFor(returnId), returnId.toString());
        lines = new ArrayList<>(event.lines());
        refund = event.refund();
        await(Step.AWAIT_RECEIPT, settings.receiptTimeout(), false);
        publish();
    }

    @SagaEventHandler(associationProperty = "returnId")
    void on(ReturnReceivedEvent event) {
        if (awaiting(Step.AWAIT_RECEIPT)) {
            passed(Step.AWAIT_RECEIPT);
            work(Step.RESTOCK_INVENTORY, Step.MARK_RETURN_RESTOCKED, Step.REFUND_PAYMENT, Step.MARK_RETURN_REFUNDED);
            publish();
        }
    }

    /** Rejected by someone else while waiting: nothing was restocked or refunded, so nothing is left to do. */
    @SagaEventHandler(associationProperty = "returnId")
    void on(ReturnRejectedEvent event) {
        if (awaiting(Step.AWAIT_RECEIPT)) {
            failed(Step.AWAIT_RECEIPT, "return rejected: " + event.reason());
            compensate(List.of());
            publish();
        }
    }

    @Override
    protected void timedOut(Step step) {
        failed(step, "goods not received within " + settings.receiptTimeout());
        compensate(List.of(Step.WITHDRAW_RETURN));
    }

    @Override
    protected StepResult perform(Step step) {
        return switch (step) {
            case AWAIT_RECEIPT -> StepResult.sent(); // the customer's to send, the warehouse's to confirm
            case RESTOCK_INVENTORY -> restock();
            case MARK_RETURN_RESTOCKED -> StepResult.of(send(new MarkReturnRestockedCommand(returnId)));
            case REFUND_PAYMENT -> refund();
            case MARK_RETURN_REFUNDED -> StepResult.of(send(new MarkReturnRefundedCommand(returnId, paymentIdFor(orderId))));
            case WITHDRAW_RETURN -> {
                SagaCommand.Result result = send(new RejectReturnCommand(returnId,
                        "The returned goods did not arrive within " + settings.receiptTimeout().toDays() + " days"));
                // Refused only once the goods are received: the warehouse confirmed just before the deadline fired.
                yield result.outcome() == SagaCommand.Outcome.CONFLICT ? StepResult.fail(RECEIVED_MEANWHILE)
                        : StepResult.of(result);
            }
        };
    }

    /** One receipt per line, each remembered once it succeeded, so that a retry restocks only what is missing. */
    private StepResult restock() {
        for (ReturnLine line : lines) {
            if (restocked.contains(line.productId())) {
                continue;
            }
            SagaCommand.Result result = send(new ReceiveStockCommand(line.productId(), line.quantity(),
                    "return:" + returnId + ":" + line.productId()));
            if (!result.done()) {
                return StepResult.of(result);
            }
            restocked.add(line.productId());
        }
        return StepResult.done();
    }

    private StepResult refund() {
        if (refunded || !refund.isPositive()) {
            return StepResult.done();
        }
        SagaCommand.Result result = send(new RefundPaymentCommand(paymentIdFor(orderId), refund, "return:" + returnId));
        refunded = result.done();
        return StepResult.of(result);
    }

    @Override
    protected void stepsDone(Step last) {
        end();
    }

    /**
     * The return cannot be withdrawn: its goods were received. The saga carries on as if it had seen the receipt,
     * whose event, when it comes, finds the saga no longer waiting (it might never come to a saga that lost it).
     */
    @Override
    protected void gaveUp(Step step, String error) {
        passed(Step.AWAIT_RECEIPT);
        work(Step.RESTOCK_INVENTORY, Step.MARK_RETURN_RESTOCKED, Step.REFUND_PAYMENT, Step.MARK_RETURN_REFUNDED);
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
