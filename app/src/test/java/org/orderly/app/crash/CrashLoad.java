package org.orderly.app.crash;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.orderly.app.crash.CrashLedger.Fate;
import org.orderly.app.crash.CrashLedger.Order;
import org.orderly.app.crash.CrashLedger.Step;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.Shop;

/**
 * Mixed, concurrent load over the REST API, as the shop's people would make it: new customers sign up, a few
 * regular customers place orders (ample stock and credit) and cancel some of them, staff dispatch and deliver
 * shipments, and customers return part of what was delivered, which the warehouse then receives. Every answer
 * goes into the {@link CrashLedger}. Clients pause while the node is down and carry on after it is back.
 */
final class CrashLoad {

    /** The node, as the clients see it: while it is down they wait instead of counting refused connections. */
    interface Node {
        boolean up();
    }

    private static final String CANCEL_REASON = "changed my mind";
    private final CrashLedger ledger;
    private final Node node;
    private final Http staff;
    private final Http anonymous;
    /** Customer id to a client calling as them. */
    private final Map<String, Http> customers;
    private final List<String> products;
    private final AtomicBoolean placing = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Order, Long> notBefore = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Order, Integer> tries = new java.util.concurrent.ConcurrentHashMap<>();

    CrashLoad(CrashLedger ledger, Node node, Http staff, Http anonymous, Map<String, Http> customers,
              List<String> products) {
        this.ledger = ledger;
        this.node = node;
        this.staff = staff;
        this.anonymous = anonymous;
        this.customers = Map.copyOf(customers);
        this.products = List.copyOf(products);
    }

    void start(int clients) {
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(this::run, "crash-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** From now on clients only carry on with the orders they have. */
    void stopPlacing() {
        placing.set(false);
    }

    /** Whether every order's client has nothing left to do. */
    boolean clientsDone() {
        return ledger.work.isEmpty();
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    private void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            if (!node.up()) {
                CrashNode.sleep(100);
                continue;
            }
            try {
                int dice = random.nextInt(100);
                if (placing.get() && dice < 40) {
                    place();
                } else if (placing.get() && dice < 50) {
                    register();
                } else if (!advance()) {
                    CrashNode.sleep(placing.get() ? 20 : 100);
                }
            } catch (RuntimeException e) {
                // one operation's surprise must not end the client; the audit judges what was stored
                ledger.answer("client error " + e.getClass().getSimpleName() + ": " + e.getMessage());
                CrashNode.sleep(200);
            }
            CrashNode.sleep(15);
        }
    }

    /** An answer, or none: {@code null} when the connection failed after the request may have been sent. */
    private record Answer(int status, Http.Response response, boolean notSent) {
        boolean inDoubt() {
            return response == null && !notSent || status >= 500 && status != 503;
        }

        JsonNode json() {
            return response.json();
        }

        @Override
        public String toString() {
            return response == null ? (notSent ? "not sent" : "no answer") : response.toString();
        }
    }

    /** Sends a request and counts its answer under {@code what} (method and path pattern). */
    private Answer call(String what, Supplier<Http.Response> request) {
        ledger.requests.incrementAndGet();
        try {
            Http.Response response = request.get();
            ledger.answer(what + " " + response.status());
            return new Answer(response.status(), response, false);
        } catch (UncheckedIOException e) {
            ledger.failedRequests.incrementAndGet();
            // Refused at connect: the request never left, so it cannot have taken effect.
            boolean notSent = e.getCause() instanceof ConnectException;
            ledger.answer(what + " " + (notSent ? "not connected" : "no answer (" + e.getCause().getClass().getSimpleName() + ")"));
            CrashNode.sleep(250); // a node that does not answer is not hammered
            return new Answer(-1, null, notSent);
        }
    }

    private void register() {
        String email = "crash-" + UUID.randomUUID() + "@example.com";
        Answer answer = call("POST /api/customers", () -> anonymous.post("/api/customers", "{\"email\": \"" + email
                + "\", \"name\": \"Crash Customer\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}"));
        if (answer.status() == 201) {
            ledger.registrations.put(answer.json().get("customerId").asText(), email);
        } else if (answer.inDoubt()) {
            ledger.registrationsInDoubt.incrementAndGet();
        }
    }

    private void place() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> ids = new ArrayList<>(customers.keySet());
        String customerId = ids.get(random.nextInt(ids.size()));
        int dice = random.nextInt(100);
        Fate fate = dice < 8 ? Fate.CANCEL_PENDING : dice < 16 ? Fate.CANCEL_CONFIRMED : dice < 28 ? Fate.DISPATCH
                : dice < 40 ? Fate.DELIVER : dice < 52 ? Fate.RETURN : Fate.KEEP;
        List<String> shuffled = new ArrayList<>(products);
        java.util.Collections.shuffle(shuffled, random);
        Map<String, Integer> lines = new LinkedHashMap<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            // A returned line has three units: two return requests whose answers were lost still fit in it.
            lines.put(shuffled.get(i), i == 0 && fate == Fate.RETURN ? 3 : 1 + random.nextInt(3));
        }
        String body = "{\"customerId\": \"" + customerId + "\", \"lines\": [" + lines.entrySet().stream()
                .map(l -> Shop.line(l.getKey(), l.getValue())).collect(Collectors.joining(", ")) + "]}";
        Answer answer = call("POST /api/orders", () -> customers.get(customerId).post("/api/orders", body));
        if (answer.status() == 202) {
            Order order = new Order(answer.json().get("orderId").asText(), customerId, lines, fate, shuffled.get(0));
            ledger.placed(order);
            if (fate == Fate.CANCEL_PENDING) {
                // At once, while the saga is most likely still reserving or authorizing.
                cancel(order);
            }
        } else if (answer.inDoubt()) {
            ledger.placementsInDoubt.incrementAndGet();
        } else {
            ledger.placementsRefused.incrementAndGet();
        }
    }

    /** Takes one order whose client has something to do, and does the next step if it can; false when none. */
    private boolean advance() {
        Order order = ledger.work.poll();
        if (order == null) {
            return false;
        }
        long now = System.currentTimeMillis();
        if (notBefore.getOrDefault(order, 0L) > now) {
            ledger.work.add(order);
            return false;
        }
        int attempt = tries.merge(order, 1, Integer::sum);
        try {
            step(order);
        } finally {
            if (!order.settledByClient() && attempt < 200) {
                notBefore.put(order, System.currentTimeMillis() + 250);
                ledger.work.add(order);
            } else {
                notBefore.remove(order);
                tries.remove(order);
            }
        }
        return true;
    }

    private void step(Order order) {
        switch (order.fate) {
            case CANCEL_PENDING -> cancel(order);
            case CANCEL_CONFIRMED -> {
                String status = status(order);
                if ("CONFIRMED".equals(status)) {
                    cancel(order);
                } else if (status != null && !"PENDING".equals(status)) {
                    order.cancel.abandoned = true; // it ended otherwise; the audit says whether it should have
                }
            }
            case DISPATCH, DELIVER, RETURN -> warehouseAndReturns(order);
            case KEEP -> {
            }
        }
    }

    private void cancel(Order order) {
        order.cancel.asked = true;
        Answer answer = call("POST /api/orders/{id}/cancellation", () -> customers.get(order.customerId).post("/api/orders/" + order.orderId
                + "/cancellation", "{\"reason\": \"" + CANCEL_REASON + "\"}"));
        record(order.cancel, answer, 202);
    }

    private void warehouseAndReturns(Order order) {
        if (!order.dispatch.done()) {
            if (order.shipmentId == null) {
                Answer shipments = call("GET /api/shipments", () -> staff.get("/api/shipments?orderId=" + order.orderId));
                if (shipments.status() != 200 || shipments.json().get("items").isEmpty()) {
                    abandonIfClosed(order);
                    return;
                }
                order.shipmentId = shipments.json().get("items").get(0).get("shipmentId").asText();
            }
            order.dispatch.asked = true;
            record(order.dispatch, call("POST /api/shipments/{id}/dispatch", () -> staff.post("/api/shipments/" + order.shipmentId + "/dispatch", null)), 204);
            return;
        }
        if (order.fate == Fate.DISPATCH) {
            return;
        }
        if (!order.delivery.done()) {
            if (!order.dispatch.acknowledged && !order.dispatch.inDoubt) {
                order.delivery.abandoned = true;
                return;
            }
            order.delivery.asked = true;
            record(order.delivery, call("POST /api/shipments/{id}/delivery", () -> staff.post("/api/shipments/" + order.shipmentId + "/delivery", null)), 204);
            return;
        }
        if (order.fate == Fate.DELIVER) {
            return;
        }
        if (!order.delivery.acknowledged) {
            order.returnRequest.abandoned = true;
            return;
        }
        if (order.returnIds.isEmpty()) {
            if (order.returnAttempts.get() >= 2) {
                order.returnRequest.abandoned = true;
                return;
            }
            if (!"DELIVERED".equals(status(order))) {
                return;
            }
            order.returnRequest.asked = true;
            Answer answer = call("POST /api/returns", () -> customers.get(order.customerId).post("/api/returns", "{\"orderId\": \""
                    + order.orderId + "\", \"lines\": [" + Shop.line(order.returnedProduct, 1)
                    + "], \"reason\": \"does not fit\"}"));
            if (answer.status() == 202) {
                order.returnIds.add(answer.json().get("returnId").asText());
                order.returnRequest.acknowledged = true;
            } else if (answer.inDoubt()) {
                order.returnRequest.inDoubt = true;
                order.returnAttempts.incrementAndGet();
            }
            return;
        }
        String returnId = order.returnIds.iterator().next();
        order.receipt.asked = true;
        Answer answer = call("POST /api/returns/{id}/receipt", () -> staff.post("/api/returns/" + returnId + "/receipt", null));
        record(order.receipt, answer, 202);
        if (answer.status() == 202) {
            order.receivedReturnIds.add(returnId);
        }
    }

    /** An order the saga closed has no shipment to work on: nothing is left for its client. */
    private void abandonIfClosed(Order order) {
        String status = status(order);
        if ("REJECTED".equals(status) || "CANCELLED".equals(status)) {
            order.dispatch.abandoned = true;
            order.delivery.abandoned = true;
            order.returnRequest.abandoned = true;
        }
    }

    private String status(Order order) {
        Answer answer = call("GET /api/orders/{id}", () -> staff.get("/api/orders/" + order.orderId));
        return answer.status() == 200 ? answer.json().get("status").asText() : null;
    }

    /**
     * Records an answer to a write: acknowledged on {@code success}; in doubt without an answer; given up on when
     * refused (a conflict after a write whose answer was lost is that write having happened: a repeated cancellation
     * or dispatch is refused; otherwise the audit says whether the refusal was right).
     */
    private static void record(Step step, Answer answer, int success) {
        if (answer.status() == success) {
            step.acknowledged = true;
        } else if (answer.inDoubt()) {
            step.inDoubt = true;
        } else if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 429) {
            step.abandoned = true;
        }
    }
}
