package org.orderly.app.crash;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the clients of {@link CrashIT} were told: every write the API acknowledged, and every write whose answer
 * never came (the node died first), which may or may not have happened. The audit holds the store and the read
 * models to the acknowledged writes exactly, and to the unanswered ones as "either way".
 */
final class CrashLedger {

    /** What a client means to do with an order after placing it. */
    enum Fate { KEEP, CANCEL_PENDING, CANCEL_CONFIRMED, DISPATCH, DELIVER, RETURN }

    /** A write and whether it was asked, acknowledged, or asked without an answer. */
    static final class Step {
        volatile boolean asked;
        volatile boolean acknowledged;
        /** Asked at least once without an answer: a connection lost to a kill, or a 5xx. */
        volatile boolean inDoubt;
        /** Given up on: refused for a reason a retry would not change. */
        volatile boolean abandoned;

        boolean done() {
            return acknowledged || abandoned;
        }

        @Override
        public String toString() {
            return acknowledged ? "acknowledged" : inDoubt ? "asked without answer" : asked ? "asked, refused" : "not asked";
        }
    }

    /** An order whose placement was acknowledged (202) with its id. */
    static final class Order {
        final String orderId;
        final String customerId;
        /** Product id to quantity. */
        final Map<String, Integer> lines;
        final Fate fate;
        final long placedAtMillis;
        final Step cancel = new Step();
        final Step dispatch = new Step();
        final Step delivery = new Step();
        final Step returnRequest = new Step();
        final Step receipt = new Step();
        volatile String shipmentId;
        /** Returns acknowledged (202) with their ids; each asks back one unit of {@link #returnedProduct}. */
        final Set<String> returnIds = ConcurrentHashMap.newKeySet();
        /** Returns whose receipt staff confirmed (202). */
        final Set<String> receivedReturnIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger returnAttempts = new AtomicInteger();
        final String returnedProduct;

        Order(String orderId, String customerId, Map<String, Integer> lines, Fate fate, String returnedProduct) {
            this.orderId = orderId;
            this.customerId = customerId;
            this.lines = Map.copyOf(lines);
            this.fate = fate;
            this.returnedProduct = returnedProduct;
            this.placedAtMillis = System.currentTimeMillis();
        }

        /** Whether the client has nothing more to do with the order. */
        boolean settledByClient() {
            return switch (fate) {
                case KEEP -> true;
                case CANCEL_PENDING, CANCEL_CONFIRMED -> cancel.done();
                case DISPATCH -> dispatch.done();
                case DELIVER -> delivery.done();
                case RETURN -> receipt.done() || returnRequest.abandoned;
            };
        }

        /** The statuses the order may end in, given what the client asked and was told. */
        Set<String> allowedStatuses() {
            if (cancel.acknowledged) {
                return Set.of("CANCELLED");
            }
            if (cancel.asked) {
                // A cancellation whose answer was lost may have happened, or not.
                return cancel.inDoubt ? Set.of("CANCELLED", "CONFIRMED") : Set.of("CONFIRMED");
            }
            if (delivery.acknowledged) {
                return Set.of("DELIVERED");
            }
            if (delivery.inDoubt) {
                return Set.of("SHIPPED", "DELIVERED");
            }
            if (dispatch.acknowledged) {
                return Set.of("SHIPPED");
            }
            if (dispatch.inDoubt) {
                return Set.of("CONFIRMED", "SHIPPED");
            }
            return Set.of("CONFIRMED");
        }

        String story() {
            return "placed (acknowledged) " + lines + ", fate " + fate + "; cancellation " + cancel + ", dispatch "
                    + dispatch + ", delivery " + delivery + ", return " + returnRequest + " " + returnIds + ", receipt "
                    + receipt + " " + receivedReturnIds;
        }
    }

    final Map<String, Order> orders = new ConcurrentHashMap<>();
    /** Orders with something left for their client to do. */
    final Queue<Order> work = new ConcurrentLinkedQueue<>();
    /** Customer id to email, for every registration acknowledged with 201. */
    final Map<String, String> registrations = new ConcurrentHashMap<>();
    final AtomicInteger registrationsInDoubt = new AtomicInteger();
    final AtomicInteger placementsInDoubt = new AtomicInteger();
    final AtomicInteger placementsRefused = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failedRequests = new AtomicInteger();

    /** How often each kind of request got each answer: "POST /api/orders 202" to its count. */
    final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

    void answer(String what) {
        answers.computeIfAbsent(what.length() > 200 ? what.substring(0, 200) : what, k -> new AtomicInteger())
                .incrementAndGet();
    }

    void placed(Order order) {
        orders.put(order.orderId, order);
        if (!order.settledByClient()) {
            work.add(order);
        }
    }

    List<Order> acknowledgedOrders() {
        return List.copyOf(orders.values());
    }

    long count(Fate fate) {
        return orders.values().stream().filter(o -> o.fate == fate).count();
    }
}
