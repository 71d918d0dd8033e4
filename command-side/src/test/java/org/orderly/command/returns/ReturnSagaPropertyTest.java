package org.orderly.command.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.saga.AssociationValue;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.RefundPaymentCommand;
import org.orderly.api.returns.MarkReturnRefundedCommand;
import org.orderly.api.returns.MarkReturnRestockedCommand;
import org.orderly.api.returns.RejectReturnCommand;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnReceivedEvent;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.returns.ReturnStatus;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.command.sagas.SagaRun;

/**
 * The return saga against a small model of the domains it commands, over randomized scenarios: goods received
 * at once, just as the receipt deadline fires, or never; a return rejected by staff while it waits; commands
 * failing before or after their effect; events duplicated; the saga crashing after its commands ran. Every saga
 * ends; a completed return restocked each line once and refunded exactly its amount once, a withdrawn or
 * rejected one neither.
 */
class ReturnSagaPropertyTest {

    enum Receipt { PROMPT, RACES_THE_DEADLINE, NEVER, STAFF_REJECTS }

    record Scenario(List<Integer> quantities, Receipt receipt, double commandFailures,
                    double duplicates, double crashes, long seed) {
    }

    @Property(tries = 1000)
    void everyReturnEndsRefundedOnceOrWithdrawnWithNothingRestocked(@ForAll("scenarios") Scenario scenario) {
        World world = new World(scenario);
        ReturnProperties settings = new ReturnProperties(java.time.Duration.ofDays(30), java.time.Duration.ofDays(14),
                3, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10));
        SagaRun<ReturnSaga> run = new SagaRun<>(ReturnSaga.class, (command, metaData) -> world.handle(command), settings);

        world.drive(run);

        world.check(run);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Double> rates = Arbitraries.of(0.0, 0.0, 0.1, 0.25);
        return Combinators.combine(Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(Receipt.class), rates, rates, rates,
                Arbitraries.longs()).as(Scenario::new);
    }

    static final class World {

        private final Scenario scenario;
        private final Random random;
        private final ReturnId returnId = ReturnId.newId();
        private final OrderId orderId = OrderId.newId();
        private final List<ReturnLine> lines = new ArrayList<>();
        private final Money refund;
        private final Money captured = Money.of("100.00", "EUR");
        private final Map<ProductId, Integer> onHand = new HashMap<>();
        private final Set<String> receipts = new HashSet<>();
        private final Set<String> refunds = new HashSet<>();
        private final Deque<Object> events = new ArrayDeque<>();
        private Money refunded = Money.zero("EUR");
        private ReturnStatus status = ReturnStatus.APPROVED;
        private boolean restocked;
        /**
         * How often the operator asks a parked saga to go on. Commands here fail only transiently, so an operator
         * retries until the saga moves: a few rounds could all fail (three lines, a quarter of the calls failing,
         * three attempts a round), which would be the operator's impatience, not the saga's fault.
         */
        private static final int OPERATOR_PATIENCE = 50;
        private static final int MAX_STEPS = 3000;
        private int operatorRetries;
        private boolean receiptSent;

        World(Scenario scenario) {
            this.scenario = scenario;
            this.random = new Random(scenario.seed());
            Money sum = Money.zero("EUR");
            for (int i = 0; i < scenario.quantities().size(); i++) {
                ProductId product = ProductId.newId();
                Money price = Money.of(BigDecimal.valueOf(500 + i * 100, 2).toPlainString(), "EUR");
                lines.add(new ReturnLine(product, scenario.quantities().get(i), price));
                sum = sum.plus(price.times(scenario.quantities().get(i)));
                onHand.put(product, 0);
            }
            this.refund = sum;
        }

        void drive(SagaRun<ReturnSaga> run) {
            AssociationValue key = new AssociationValue("returnId", returnId.toString());
            events.add(new ReturnApprovedEvent(returnId, orderId, List.copyOf(lines), refund));
            for (int step = 0; step < MAX_STEPS; step++) {
                if (!events.isEmpty()) {
                    Object event = events.poll();
                    if (random.nextDouble() < scenario.crashes()) {
                        run.deliverAndCrash(event, key);
                    } else {
                        run.deliver(event);
                    }
                    if (random.nextDouble() < scenario.duplicates()) {
                        events.add(event);
                    }
                } else if (!receiptSent && (scenario.receipt() == Receipt.PROMPT || scenario.receipt() == Receipt.STAFF_REJECTS)) {
                    receiptSent = true;
                    if (scenario.receipt() == Receipt.PROMPT) {
                        confirmReceipt();
                    } else {
                        staffRejects();
                    }
                } else if (parked(run) && operatorRetries < OPERATOR_PATIENCE) {
                    operatorRetries++;
                    run.deliver(new WorkflowRetryRequestedEvent(ReturnSaga.workflowIdFor(returnId)));
                } else {
                    if (!receiptSent && scenario.receipt() == Receipt.RACES_THE_DEADLINE) {
                        // the warehouse confirms, and the deadline fires before the saga sees the receipt
                        receiptSent = true;
                        confirmReceipt();
                    }
                    if (!run.advanceToNextDeadline()) {
                        return;
                    }
                }
            }
            throw new AssertionError("The scenario did not settle in " + MAX_STEPS + " steps: " + run.workflow());
        }

        private boolean parked(SagaRun<ReturnSaga> run) {
            return run.workflow().map(w -> w.status() == WorkflowStatus.FAILED
                    || w.status() == WorkflowStatus.COMPENSATION_FAILED).orElse(false);
        }

        private void confirmReceipt() {
            if (status == ReturnStatus.APPROVED) {
                status = ReturnStatus.RECEIVED;
                events.add(new ReturnReceivedEvent(returnId, orderId));
            }
        }

        private void staffRejects() {
            if (status == ReturnStatus.APPROVED) {
                status = ReturnStatus.REJECTED;
                events.add(new ReturnRejectedEvent(returnId, orderId, "not eligible"));
            }
        }

        Object handle(Object command) {
            if (random.nextDouble() < scenario.commandFailures()) {
                throw new CommandExecutionException("the database is unavailable", null);
            }
            apply(command);
            if (random.nextDouble() < scenario.commandFailures() / 2) {
                throw new CommandExecutionException("no answer within 10 s", null);
            }
            return null;
        }

        private void apply(Object command) {
            if (command instanceof ReceiveStockCommand c) {
                if (receipts.add(c.receiptReference())) {
                    onHand.merge(c.productId(), c.quantity(), Integer::sum);
                }
            } else if (command instanceof MarkReturnRestockedCommand) {
                if (!restocked) {
                    require(status == ReturnStatus.RECEIVED, "not received");
                    restocked = true;
                }
            } else if (command instanceof RefundPaymentCommand c) {
                if (refunds.add(c.refundReference())) {
                    Money total = refunded.plus(c.amount());
                    require(!total.isGreaterThan(captured), "more than captured");
                    refunded = total;
                }
            } else if (command instanceof MarkReturnRefundedCommand) {
                if (status != ReturnStatus.REFUNDED) {
                    require(status == ReturnStatus.RECEIVED && restocked, "not restocked");
                    status = ReturnStatus.REFUNDED;
                }
            } else if (command instanceof RejectReturnCommand c) {
                if (status == ReturnStatus.APPROVED) {
                    status = ReturnStatus.REJECTED;
                    events.add(new ReturnRejectedEvent(returnId, orderId, c.reason()));
                } else {
                    require(status == ReturnStatus.REJECTED, "received");
                }
            } else {
                throw new AssertionError("Unexpected command " + command);
            }
        }

        private static void require(boolean condition, String conflict) {
            if (!condition) {
                Refusal refusal = Refusal.conflict(null, conflict);
                throw new CommandExecutionException(conflict, null, refusal);
            }
        }

        void check(SagaRun<ReturnSaga> run) {
            WorkflowUpdatedEvent workflow = run.workflow().orElseThrow();
            Statistics.label("outcome").collect(workflow.status() + " " + status + " (" + scenario.receipt() + ")");
            String story = scenario + " ended as " + workflow + ", return " + status + ", restocked " + onHand
                    + ", refunded " + refunded;
            assertThat(workflow.status()).as("the saga ends: " + story)
                    .isIn(WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATED);
            assertThat(run.active(new AssociationValue("returnId", returnId.toString()))).as(story).isFalse();
            if (workflow.status() == WorkflowStatus.COMPLETED) {
                assertThat(status).as(story).isEqualTo(ReturnStatus.REFUNDED);
                assertThat(refunded).as("refunded exactly once: " + story).isEqualTo(refund);
                lines.forEach(line -> assertThat(onHand.get(line.productId())).as("restocked once: " + story)
                        .isEqualTo(line.quantity()));
                assertThat(scenario.receipt()).as("only received goods are refunded: " + story)
                        .isIn(Receipt.PROMPT, Receipt.RACES_THE_DEADLINE);
            } else {
                assertThat(status).as(story).isEqualTo(ReturnStatus.REJECTED);
                assertThat(refunded.isPositive()).as("nothing refunded: " + story).isFalse();
                assertThat(onHand.values()).as("nothing restocked: " + story).containsOnly(0);
                assertThat(scenario.receipt()).as("only goods never received are withdrawn: " + story)
                        .isIn(Receipt.NEVER, Receipt.STAFF_REJECTS);
            }
        }
    }
}
