package org.orderly.command.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import net.jqwik.api.Tuple;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.saga.AssociationValue;
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
import org.orderly.api.order.OrderStatus;
import org.orderly.api.order.RejectOrderCommand;
import org.orderly.api.payment.AuthorizationOutcome;
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.command.sagas.SagaRun;

/**
 * The order fulfilment saga against a small model of the domains it commands, over randomized scenarios:
 * short and racing stock, payments approved, declined, silent, slow or lost in a crash, customers cancelling
 * at any moment, a warehouse that dispatches or not, delivers or not, commands failing (before or after their
 * effect), answers lost, duplicated and arriving late, and the saga crashing after its commands ran.
 * <p>
 * The model keeps the rules the aggregates keep (a repeated command changes nothing and answers with what it
 * did), and is the ledger the invariants are counted on: every saga ends, or waits for an operator only
 * where the rules say (a delivery never reported); stock, reservations and money add up; and no order is
 * closed for a timeout by a domain that answered.
 */
class OrderFulfilmentSagaPropertyTest {

    enum Provider { APPROVES, DECLINES, SILENT, SLOW, LOSES_FIRST_ASK }

    enum Warehouse { SHIPS_AND_DELIVERS, NEVER_DISPATCHES, NEVER_DELIVERS, DELIVERS_LATE }

    record Scenario(List<Integer> quantities, List<Integer> stock, Provider provider, Warehouse warehouse,
                    int cancelAfter, int raceAfter, int raceQuantity, double commandFailures, double lostAnswers,
                    double duplicates, double crashes, long seed) {
    }

    @Property(tries = 1000)
    void everyOrderEndsConsistentlyWhateverTheDomainsAndCrashesDo(@ForAll("scenarios") Scenario scenario) {
        World world = new World(scenario);
        FulfilmentProperties settings = new FulfilmentProperties(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofHours(1), Duration.ofHours(2), 2, 3, Duration.ofSeconds(1), Duration.ofSeconds(10));
        SagaRun<OrderFulfilmentSaga> run = new SagaRun<>(OrderFulfilmentSaga.class,
                (command, metaData) -> world.handle(command), settings);

        world.drive(run);

        world.check(run);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<Integer>> quantities = Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(3);
        // mostly enough stock, sometimes short, now and then none ever received (-1)
        Arbitrary<List<Integer>> stock = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(-1)),
                Tuple.of(2, Arbitraries.integers().between(0, 2)), Tuple.of(12, Arbitraries.integers().between(3, 9)))
                .list().ofSize(3);
        // now and then another order takes stock of the first line at some moment (-1: no race)
        Arbitrary<Integer> race = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 6)));
        // most customers never cancel; the others at any moment of the saga (-1: never)
        Arbitrary<Integer> cancelAfter = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1)),
                Tuple.of(2, Arbitraries.integers().between(0, 14)));
        Arbitrary<Double> rates = Arbitraries.of(0.0, 0.0, 0.1, 0.25);
        return Combinators.combine(
                Combinators.combine(quantities, stock, Arbitraries.of(Provider.class), Arbitraries.of(Warehouse.class))
                        .as(Tuple::of),
                Combinators.combine(cancelAfter, race,
                        Arbitraries.integers().between(1, 4)).as(Tuple::of),
                Combinators.combine(rates, rates, rates, rates).as(Tuple::of),
                Arbitraries.longs()
        ).as((shape, moments, rate, seed) -> new Scenario(shape.get1(), shape.get2(), shape.get3(), shape.get4(),
                moments.get1(), moments.get2(), moments.get3(), rate.get1(), rate.get2(), rate.get3(), rate.get4(),
                seed));
    }

    /** The domains the saga commands, the customer, the provider, the warehouse and the operator. */
    static final class World {

        private final Scenario scenario;
        private final Random random;
        private final OrderId orderId = OrderId.newId();
        private final CustomerId customerId = CustomerId.newId();
        private final List<OrderLine> lines = new ArrayList<>();
        private final Money total;
        private final Map<ProductId, Integer> received = new LinkedHashMap<>();
        private final Map<ProductId, Integer> onHand = new HashMap<>();
        private final Map<ProductId, Integer> reserved = new HashMap<>();
        /** What each order got of each product; the race's competitor is another order. */
        private final Map<String, ReservationOutcome> outcomes = new HashMap<>();
        private final OrderId competitor = OrderId.newId();
        private final Deque<Object> events = new ArrayDeque<>();
        private final List<Integer> providerAnswers = new ArrayList<>();

        private OrderStatus order = OrderStatus.PENDING;
        private String closeReason;
        private boolean customerCancelled;
        private PaymentStatus payment;
        private boolean paymentCancelledWhilePending;
        private int providerAsks;
        private String shipment; // null, CREATED, DISPATCHED, DELIVERED
        private int delivered;
        private int ticks;
        /**
         * How often the operator asks a parked saga to go on. Commands here fail only transiently, so an operator
         * retries until the saga moves: a few rounds could all fail (three lines, a quarter of the calls failing,
         * three attempts a round), which would be the operator's impatience, not the saga's fault.
         */
        private static final int OPERATOR_PATIENCE = 50;
        private static final int MAX_STEPS = 3000;
        private int operatorRetries;

        World(Scenario scenario) {
            this.scenario = scenario;
            this.random = new Random(scenario.seed());
            Money sum = Money.zero("EUR");
            for (int i = 0; i < scenario.quantities().size(); i++) {
                ProductId product = ProductId.newId();
                Money price = Money.of(BigDecimal.valueOf(100 + i * 50, 2).toPlainString(), "EUR");
                lines.add(new OrderLine(product, "Product " + i, scenario.quantities().get(i), price));
                sum = sum.plus(price.times(scenario.quantities().get(i)));
                int stock = scenario.stock().get(i);
                if (stock >= 0) { // -1: the product never had any stock received
                    received.put(product, stock);
                    onHand.put(product, stock);
                    reserved.put(product, 0);
                }
            }
            this.total = sum;
        }

        void drive(SagaRun<OrderFulfilmentSaga> run) {
            AssociationValue key = new AssociationValue("orderId", orderId.toString());
            events.add(new OrderPlacedEvent(orderId, customerId, List.copyOf(lines), total));
            for (int step = 0; step < MAX_STEPS; step++) {
                if (delivered == scenario.raceAfter() && !lines.isEmpty()) {
                    race();
                }
                if (delivered == scenario.cancelAfter()) {
                    customerCancels();
                }
                if (!events.isEmpty()) {
                    deliver(run, key, events.poll());
                } else if (!providerAnswers.isEmpty() && (scenario.provider() != Provider.SLOW
                        || providerAnswers.get(0) < ticks)) {
                    providerAnswers.remove(0);
                    providerAnswers();
                } else if (warehouseActs(run)) {
                    continue;
                } else if (parked(run) && operatorRetries < OPERATOR_PATIENCE) {
                    operatorRetries++;
                    run.deliver(new WorkflowRetryRequestedEvent(OrderFulfilmentSaga.workflowIdFor(orderId)));
                } else if (run.advanceToNextDeadline()) {
                    ticks++;
                } else {
                    return;
                }
            }
            throw new AssertionError("The scenario did not settle in " + MAX_STEPS + " steps: " + run.workflow());
        }

        private void deliver(SagaRun<OrderFulfilmentSaga> run, AssociationValue key, Object event) {
            delivered++;
            boolean answer = event instanceof StockReservedEvent || event instanceof StockReservationRejectedEvent
                    || event instanceof PaymentAuthorizedEvent || event instanceof PaymentDeclinedEvent;
            if (answer && random.nextDouble() < scenario.lostAnswers()) {
                return; // a processor skipped it, or it went with a crash: the saga must ask again
            }
            if (random.nextDouble() < scenario.crashes()) {
                run.deliverAndCrash(event, key);
            } else {
                run.deliver(event);
            }
            if (random.nextDouble() < scenario.duplicates()) {
                events.add(event); // delivered again, later
            }
        }

        private boolean parked(SagaRun<OrderFulfilmentSaga> run) {
            return run.workflow().map(w -> w.status() == WorkflowStatus.FAILED
                    || w.status() == WorkflowStatus.COMPENSATION_FAILED).orElse(false);
        }

        /** Another order takes stock of the first line, just as this one is placed. */
        private void race() {
            ProductId product = lines.get(0).productId();
            if (onHand.containsKey(product) && available(product) >= scenario.raceQuantity()
                    && !outcomes.containsKey(competitor + ":" + product)) {
                reserved.merge(product, scenario.raceQuantity(), Integer::sum);
                outcomes.put(competitor + ":" + product, ReservationOutcome.RESERVED);
            }
        }

        /**
         * The customer cancels, as the order allows it: before it ships. The order learns it shipped from the saga,
         * after the dispatch; that a cancellation racing the warehouse's dispatch is still accepted is the order
         * domain's to close (the saga cannot call goods back), so the customer here cancels only what the
         * warehouse has not dispatched.
         */
        private void customerCancels() {
            if ((order == OrderStatus.PENDING || order == OrderStatus.CONFIRMED)
                    && !"DISPATCHED".equals(shipment) && !"DELIVERED".equals(shipment)) {
                order = OrderStatus.CANCELLED;
                closeReason = "changed my mind";
                customerCancelled = true;
                events.add(new OrderCancelledEvent(orderId, customerId, closeReason));
            }
        }

        private void providerAnswers() {
            boolean approved = scenario.provider() != Provider.DECLINES;
            if (payment == PaymentStatus.AUTHORIZATION_PENDING) {
                payment = approved ? PaymentStatus.AUTHORIZED : PaymentStatus.DECLINED;
                events.add(approved ? new PaymentAuthorizedEvent(OrderFulfilmentSaga.paymentIdFor(orderId), orderId, total)
                        : new PaymentDeclinedEvent(OrderFulfilmentSaga.paymentIdFor(orderId), orderId, total, "limit"));
            } else if (payment == PaymentStatus.VOIDED && paymentCancelledWhilePending && approved) {
                paymentCancelledWhilePending = false; // a late approval is authorized and voided at once
            }
        }

        /**
         * The warehouse dispatches a confirmed order's shipment once the order's workflow shows it waits for the
         * dispatch, and delivers it, as the scenario says.
         */
        private boolean warehouseActs(SagaRun<OrderFulfilmentSaga> run) {
            boolean ready = run.workflow().map(w -> "await-dispatch".equals(w.currentStep())).orElse(false);
            if ("CREATED".equals(shipment) && order == OrderStatus.CONFIRMED && ready
                    && scenario.warehouse() != Warehouse.NEVER_DISPATCHES) {
                shipment = "DISPATCHED";
                events.add(new ShipmentDispatchedEvent(OrderFulfilmentSaga.shipmentIdFor(orderId), orderId));
                return true;
            }
            boolean deliverNow = scenario.warehouse() == Warehouse.SHIPS_AND_DELIVERS
                    || (scenario.warehouse() == Warehouse.DELIVERS_LATE && ticks > 6);
            if ("DISPATCHED".equals(shipment) && deliverNow) {
                shipment = "DELIVERED";
                events.add(new ShipmentDeliveredEvent(OrderFulfilmentSaga.shipmentIdFor(orderId), orderId));
                return true;
            }
            return false;
        }

        // the domains' rules, as their aggregates keep them

        Object handle(Object command) {
            boolean failsBefore = random.nextDouble() < scenario.commandFailures();
            if (failsBefore) {
                throw new CommandExecutionException("the database is unavailable", null);
            }
            Object answer = apply(command);
            if (random.nextDouble() < scenario.commandFailures() / 2) {
                // done, but the answer never reached the saga (a timeout, a crash of the connection)
                throw new CommandExecutionException("no answer within 10 s", null);
            }
            return answer;
        }

        private Object apply(Object command) {
            if (command instanceof ReserveStockCommand c) {
                return reserve(c.productId(), c.orderId(), c.quantity());
            }
            if (command instanceof ReleaseStockCommand c) {
                requireStock(c.productId());
                String key = c.orderId() + ":" + c.productId();
                if (outcomes.get(key) == ReservationOutcome.RESERVED) {
                    reserved.merge(c.productId(), -quantityOf(c.productId()), Integer::sum);
                    outcomes.put(key, ReservationOutcome.RELEASED);
                }
                return null;
            }
            if (command instanceof CommitStockCommand c) {
                String key = c.orderId() + ":" + c.productId();
                if (outcomes.get(key) == ReservationOutcome.COMMITTED) {
                    return null;
                }
                if (outcomes.get(key) != ReservationOutcome.RESERVED) {
                    throw refused(Refusal.conflict("orderId", "holds no reservation"));
                }
                reserved.merge(c.productId(), -quantityOf(c.productId()), Integer::sum);
                onHand.merge(c.productId(), -quantityOf(c.productId()), Integer::sum);
                outcomes.put(key, ReservationOutcome.COMMITTED);
                return null;
            }
            if (command instanceof AuthorizePaymentCommand c) {
                return authorize(c);
            }
            if (command instanceof CancelPaymentAuthorizationCommand c) {
                if (payment == null) {
                    throw new AggregateNotFoundException(c.paymentId().toString(), "no payment");
                }
                if (payment == PaymentStatus.AUTHORIZATION_PENDING) {
                    payment = PaymentStatus.VOIDED;
                    paymentCancelledWhilePending = true;
                } else if (payment == PaymentStatus.AUTHORIZED) {
                    payment = PaymentStatus.VOIDED;
                } else if (payment == PaymentStatus.CAPTURED) {
                    throw refused(Refusal.conflict(null, "captured"));
                }
                return null;
            }
            if (command instanceof CapturePaymentCommand) {
                if (payment != PaymentStatus.CAPTURED) {
                    if (payment != PaymentStatus.AUTHORIZED) {
                        throw refused(Refusal.conflict(null, "not authorized"));
                    }
                    payment = PaymentStatus.CAPTURED;
                }
                return null;
            }
            if (command instanceof ConfirmOrderCommand) {
                return transition(OrderStatus.PENDING, OrderStatus.CONFIRMED, null);
            }
            if (command instanceof RejectOrderCommand c) {
                return transition(OrderStatus.PENDING, OrderStatus.REJECTED, c.reason());
            }
            if (command instanceof CancelOrderCommand c) {
                if (order != OrderStatus.PENDING && order != OrderStatus.CONFIRMED) {
                    throw refused(Refusal.conflict(null, "already " + order));
                }
                order = OrderStatus.CANCELLED;
                closeReason = c.reason();
                events.add(new OrderCancelledEvent(orderId, customerId, c.reason()));
                return null;
            }
            if (command instanceof MarkOrderShippedCommand) {
                return transition(OrderStatus.CONFIRMED, OrderStatus.SHIPPED, null);
            }
            if (command instanceof MarkOrderDeliveredCommand) {
                return transition(OrderStatus.SHIPPED, OrderStatus.DELIVERED, null);
            }
            if (command instanceof CreateShipmentCommand c) {
                if (shipment != null) {
                    // the event store's refusal, as it reaches a sender wrapped in one way or another
                    if (random.nextBoolean()) {
                        throw new CommandExecutionException("append failed", new EventStoreException("append",
                                new AggregateStreamCreationException("Cannot reuse aggregate identifier")));
                    }
                    return null;
                }
                assertThat(c.lines()).hasSize(lines.size());
                shipment = "CREATED";
                return null;
            }
            throw new AssertionError("Unexpected command " + command);
        }

        private ReservationOutcome reserve(ProductId product, OrderId order, int quantity) {
            requireStock(product);
            String key = order + ":" + product;
            ReservationOutcome known = outcomes.get(key);
            if (known != null) {
                return known;
            }
            if (available(product) >= quantity) {
                reserved.merge(product, quantity, Integer::sum);
                outcomes.put(key, ReservationOutcome.RESERVED);
                events.add(new StockReservedEvent(product, order, quantity));
                return ReservationOutcome.RESERVED;
            }
            outcomes.put(key, ReservationOutcome.REJECTED);
            events.add(new StockReservationRejectedEvent(product, order, quantity, available(product)));
            return ReservationOutcome.REJECTED;
        }

        private AuthorizationOutcome authorize(AuthorizePaymentCommand command) {
            assertThat(command.amount()).isEqualTo(total);
            if (payment == null) {
                payment = PaymentStatus.AUTHORIZATION_PENDING;
            }
            if (payment == PaymentStatus.AUTHORIZATION_PENDING) {
                providerAsks++;
                boolean lost = scenario.provider() == Provider.LOSES_FIRST_ASK && providerAsks == 1;
                if (scenario.provider() != Provider.SILENT && !lost && providerAnswers.isEmpty()) {
                    providerAnswers.add(ticks);
                }
            }
            return new AuthorizationOutcome(payment, payment == PaymentStatus.DECLINED ? "limit" : null);
        }

        private Object transition(OrderStatus from, OrderStatus to, String reason) {
            if (order == to) {
                return null;
            }
            if (order != from) {
                throw refused(Refusal.conflict(null, "order is " + order));
            }
            order = to;
            if (reason != null) {
                closeReason = reason;
            }
            return null;
        }

        private void requireStock(ProductId product) {
            if (!onHand.containsKey(product)) {
                throw refused(Refusal.notFound("No stock of " + product));
            }
        }

        private int available(ProductId product) {
            return onHand.get(product) - reserved.get(product);
        }

        private int quantityOf(ProductId product) {
            return lines.stream().filter(l -> l.productId().equals(product)).mapToInt(OrderLine::quantity).sum();
        }

        private static CommandExecutionException refused(Refusal refusal) {
            return new CommandExecutionException(refusal.message(), null, refusal);
        }

        // the invariants

        void check(SagaRun<OrderFulfilmentSaga> run) {
            WorkflowUpdatedEvent workflow = run.workflow().orElseThrow();
            Statistics.label("outcome").collect(workflow.status() + " " + order + (closeReason == null ? "" : ": " + closeReason));
            String story = scenario + " ended as " + workflow + ", order " + order + " (" + closeReason + "), payment "
                    + payment + ", shipment " + shipment + ", stock " + outcomes;
            boolean ended = workflow.status() == WorkflowStatus.COMPLETED || workflow.status() == WorkflowStatus.COMPENSATED;
            boolean waitsForDelivery = workflow.status() == WorkflowStatus.FAILED
                    && "await-delivery".equals(workflow.currentStep()) && scenario.warehouse() == Warehouse.NEVER_DELIVERS;
            assertThat(ended || waitsForDelivery).as("the saga ends, or waits only for a delivery never reported: " + story)
                    .isTrue();
            assertThat(run.active(new AssociationValue("orderId", orderId.toString()))).as(story).isEqualTo(!ended);

            for (ProductId product : onHand.keySet()) {
                int committed = 0;
                int held = 0;
                for (Map.Entry<String, ReservationOutcome> outcome : outcomes.entrySet()) {
                    if (!outcome.getKey().endsWith(":" + product)) {
                        continue;
                    }
                    int quantity = outcome.getKey().startsWith(competitor.toString()) ? scenario.raceQuantity()
                            : quantityOf(product);
                    if (outcome.getValue() == ReservationOutcome.COMMITTED) {
                        committed += quantity;
                    } else if (outcome.getValue() == ReservationOutcome.RESERVED) {
                        held += quantity;
                    }
                }
                assertThat(onHand.get(product)).as("on hand: " + story).isEqualTo(received.get(product) - committed);
                assertThat(reserved.get(product)).as("reserved: " + story).isEqualTo(held);
                assertThat(held).as("never more held than on hand: " + story).isLessThanOrEqualTo(onHand.get(product));
            }

            Set<ReservationOutcome> mine = lines.stream().map(l -> outcomes.get(orderId + ":" + l.productId()))
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet());
            if (workflow.status() == WorkflowStatus.COMPLETED) {
                assertThat(order).as(story).isEqualTo(OrderStatus.DELIVERED);
                assertThat(payment).as("the money is taken once delivered: " + story).isEqualTo(PaymentStatus.CAPTURED);
                assertThat(mine).as(story).containsOnly(ReservationOutcome.COMMITTED);
                assertThat(shipment).as(story).isEqualTo("DELIVERED");
            } else if (waitsForDelivery) {
                assertThat(order).as(story).isEqualTo(OrderStatus.SHIPPED);
                assertThat(payment).as(story).isEqualTo(PaymentStatus.AUTHORIZED);
                assertThat(mine).as(story).containsOnly(ReservationOutcome.COMMITTED);
            } else {
                assertThat(order).as(story).isIn(OrderStatus.REJECTED, OrderStatus.CANCELLED);
                assertThat(mine).as("nothing held by a closed order: " + story)
                        .doesNotContain(ReservationOutcome.RESERVED, ReservationOutcome.COMMITTED);
                assertThat(payment).as("no money held by a closed order: " + story)
                        .isIn(null, PaymentStatus.DECLINED, PaymentStatus.VOIDED);
                assertThat(shipment).as("nothing left the warehouse: " + story).isIn(null, "CREATED");
                assertThat(closeReason).as("a closed order was closed for a reason the domains gave: " + story)
                        .isIn(expectedReasons());
            }
        }

        /** Why this scenario's order may be closed; never a timeout of a domain that answered. */
        private List<String> expectedReasons() {
            List<String> reasons = new ArrayList<>();
            if (customerCancelled) {
                reasons.add("changed my mind");
            }
            if (outcomes.entrySet().stream().anyMatch(o -> o.getKey().startsWith(orderId.toString())
                    && o.getValue() == ReservationOutcome.REJECTED) || lines.stream().anyMatch(l -> !onHand.containsKey(l.productId()))) {
                reasons.add(OrderFulfilmentSaga.OUT_OF_STOCK);
            }
            if (scenario.provider() == Provider.DECLINES) {
                reasons.add(OrderFulfilmentSaga.PAYMENT_DECLINED);
            }
            if (scenario.provider() == Provider.SILENT) {
                reasons.add(OrderFulfilmentSaga.PAYMENT_TIMEOUT);
            }
            if (scenario.warehouse() == Warehouse.NEVER_DISPATCHES) {
                reasons.add("not dispatched in time");
            }
            return reasons;
        }
    }
}
