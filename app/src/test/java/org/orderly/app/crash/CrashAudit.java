package org.orderly.app.crash;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.app.crash.CrashStore.Event;
import org.orderly.app.crash.CrashStore.OrderFacts;
import org.orderly.app.crash.CrashStore.ReturnFacts;
import org.orderly.app.support.Http;

/**
 * The invariants of crash safety (a crash never changes a business outcome), checked after the last restart: against the event store (every
 * order in it, acknowledged or not) and against the REST API (each order's status, workflow, payment and shipment,
 * stock per product, returns, registrations). Each violation names its invariant, the order (or product, return,
 * customer) and what each source says, so that a failure reads as a bug report.
 */
final class CrashAudit {


    /** Violations by invariant, each list in the order found. */
    private final Map<String, List<String>> violations = new ConcurrentHashMap<>();

    Map<String, List<String>> violations() {
        return new TreeMap<>(violations);
    }

    boolean clean() {
        return violations.isEmpty();
    }

    private void violation(String invariant, String detail) {
        violations.computeIfAbsent(invariant, k -> Collections.synchronizedList(new ArrayList<>())).add(detail);
    }

    /**
     * What is still moving in the store: orders without an outcome, outcomes whose consequences (stock, payment,
     * shipment, refund) have not all happened yet. Empty once every saga has done what it will do.
     */
    static List<String> inProgress(CrashStore store) {
        List<String> moving = new ArrayList<>();
        for (OrderFacts order : store.orders.values()) {
            String status = order.status();
            String payment = order.paymentStatus();
            boolean held = order.lines.keySet().stream().anyMatch(p -> held(order, p) > 0);
            switch (status) {
                case "PENDING" -> moving.add(order.orderId + " PENDING");
                case "CONFIRMED" -> {
                    if (order.shipmentStatus() == null || !"AUTHORIZED".equals(payment)) {
                        moving.add(order.orderId + " CONFIRMED, shipment " + order.shipmentStatus() + ", payment " + payment);
                    }
                }
                case "REJECTED", "CANCELLED" -> {
                    if (held || "AUTHORIZED".equals(payment) || "AUTHORIZATION_PENDING".equals(payment)) {
                        moving.add(order.orderId + " " + status + " still holding stock or money");
                    }
                }
                case "SHIPPED" -> {
                    if (held) {
                        moving.add(order.orderId + " SHIPPED with stock not committed");
                    }
                }
                default -> {
                }
            }
            // The saga follows the shipment: a dispatch or delivery it has not yet carried to the order and payment.
            if ("DISPATCHED".equals(order.shipmentStatus()) && "CONFIRMED".equals(status)
                    || "DELIVERED".equals(order.shipmentStatus()) && Set.of("CONFIRMED", "SHIPPED").contains(status)
                    || "DELIVERED".equals(status) && "AUTHORIZED".equals(payment)) {
                moving.add(order.orderId + " " + status + " behind its shipment " + order.shipmentStatus());
            }
        }
        for (ReturnFacts facts : store.returns.values()) {
            if (facts.has("ReturnReceivedEvent") && !facts.has("ReturnRefundedEvent")) {
                moving.add("return " + facts.returnId + " received, not refunded");
            }
        }
        return moving;
    }

    private static int held(OrderFacts order, String product) {
        int[] stock = order.stock(product);
        return stock[0] - stock[1] - stock[2];
    }

    /** Every invariant that the store alone decides. */
    void checkStore(CrashLedger ledger, CrashStore store) {
        for (CrashLedger.Order acknowledged : ledger.acknowledgedOrders()) {
            if (!store.orders.containsKey(acknowledged.orderId)) {
                violation("1 acknowledged order missing from the event store", acknowledged.orderId + ": "
                        + acknowledged.story());
            }
        }
        for (String customerId : ledger.registrations.keySet()) {
            if (!store.customers.contains(customerId)) {
                violation("9 acknowledged registration missing from the event store", "customer " + customerId);
            }
        }
        if (!store.orphans.isEmpty()) {
            violation("8 events naming an order or return the store never placed", store.orphans.size() + ", e.g. "
                    + store.orphans.subList(0, Math.min(3, store.orphans.size())));
        }
        for (OrderFacts order : store.orders.values()) {
            CrashLedger.Order client = ledger.orders.get(order.orderId);
            checkOutcome(order, client);
            checkStock(order);
            checkPayment(order);
            checkShipment(order);
            checkReturns(order, store, client);
        }
        checkTotals(store);
    }

    private void checkOutcome(OrderFacts order, CrashLedger.Order client) {
        String status = order.status();
        Set<String> allowed = client == null ? Set.of("CONFIRMED") : client.allowedStatuses();
        String story = client == null ? "placement whose answer the client never saw, nothing else asked"
                : client.story();
        if (!allowed.contains(status)) {
            String reason = order.closeReason();
            violation(status.equals("PENDING") ? "2 order never settled" : "2 order ended otherwise than its client's story",
                    order.orderId + ": store says " + status + (reason == null ? "" : " (\"" + abbreviate(reason) + "\")")
                            + ", expected " + allowed + "; client: " + story + "; order events: "
                            + order.history.stream().map(Event::type).toList());
        }
        if (allowed.contains(status) && status.equals("CANCELLED") && !"CUSTOMER".equals(order.closedBy())) {
            violation("2 order cancelled by someone other than its client", order.orderId + ": by "
                    + order.closedBy() + " (\"" + abbreviate(order.closeReason()) + "\"); client: " + story);
        }
        long outcomes = order.history.stream().filter(e -> Set.of("OrderRejectedEvent", "OrderCancelledEvent")
                .contains(e.type())).count();
        if (outcomes > 1) {
            violation("2 order closed twice", order.orderId + ": " + order.history);
        }
    }

    private void checkStock(OrderFacts order) {
        String status = order.status();
        order.lines.forEach((product, quantity) -> {
            int[] s = order.stock(product);
            int reserved = s[0];
            int released = s[1];
            int committed = s[2];
            String says = "order " + order.orderId + " (" + status + ") product " + product + ": line " + quantity
                    + ", reserved " + reserved + " in " + order.reservedEvents.getOrDefault(product, 0)
                    + " event(s), released " + released + ", committed " + committed + ", reservations refused "
                    + order.reservationsRefused.getOrDefault(product, 0);
            boolean right = switch (status) {
                case "CONFIRMED" -> reserved == quantity && released == 0 && committed == 0;
                case "SHIPPED", "DELIVERED" -> reserved == quantity && released == 0 && committed == quantity;
                case "CANCELLED", "REJECTED" -> committed == 0 && released == reserved && (reserved == 0 || reserved == quantity);
                default -> true; // never settled: reported as such
            };
            if (!right) {
                violation("3 stock of an order does not match its status", says);
            }
            if (order.reservationsRefused.getOrDefault(product, 0) > 0) {
                violation("3 reservation refused despite ample stock", says);
            }
        });
    }

    private void checkPayment(OrderFacts order) {
        String status = order.status();
        String payment = order.paymentStatus();
        String says = "order " + order.orderId + " (" + status + ", total " + order.total + "): payment " + payment
                + " from " + order.payments.stream().map(Event::type).toList();
        if (order.paymentIds.size() > 1) {
            violation("4 payment: more than one for an order", says + " ids " + order.paymentIds);
        }
        BigDecimal requested = order.sum(order.payments, "PaymentAuthorizationRequestedEvent", "amount");
        BigDecimal captured = order.sum(order.payments, "PaymentCapturedEvent", "amount");
        boolean right = switch (status) {
            case "CONFIRMED", "SHIPPED" -> "AUTHORIZED".equals(payment) && requested.compareTo(order.total) == 0;
            case "DELIVERED" -> Set.of("CAPTURED", "PARTIALLY_REFUNDED", "REFUNDED").contains(payment)
                    && captured.compareTo(order.total) == 0
                    && order.count(order.payments, "PaymentCapturedEvent") == 1;
            case "CANCELLED", "REJECTED" -> payment == null || Set.of("VOIDED", "DECLINED").contains(payment);
            default -> true;
        };
        if (!right) {
            violation("4 payment does not match the order's status", says);
        }
        if (order.count(order.payments, "PaymentDeclinedEvent") > 0) {
            violation("4 payment declined despite ample credit", says);
        }
    }

    private void checkShipment(OrderFacts order) {
        String status = order.status();
        String shipment = order.shipmentStatus();
        String says = "order " + order.orderId + " (" + status + "): shipment " + shipment + " from "
                + order.shipments.stream().map(Event::type).toList();
        if (order.shipmentIds.size() > 1 || order.count(order.shipments, "ShipmentCreatedEvent") > 1) {
            violation("5 shipment: more than one for an order", says + " ids " + order.shipmentIds);
        }
        boolean right = switch (status) {
            case "CONFIRMED" -> "CREATED".equals(shipment);
            case "SHIPPED" -> "DISPATCHED".equals(shipment);
            case "DELIVERED" -> "DELIVERED".equals(shipment);
            // A cancelled order's shipment may have been created, but nothing may leave the warehouse.
            case "CANCELLED", "REJECTED" -> shipment == null || "CREATED".equals(shipment);
            default -> true;
        };
        if (!right) {
            violation("5 shipment does not match the order's status", says);
        }
    }

    private void checkReturns(OrderFacts order, CrashStore store, CrashLedger.Order client) {
        BigDecimal refundedByReturns = BigDecimal.ZERO;
        for (ReturnFacts facts : order.returns.values()) {
            String says = "return " + facts.returnId + " of order " + order.orderId + ": "
                    + facts.events.stream().map(Event::type).toList();
            if (facts.has("ReturnRejectedEvent")) {
                violation("6 return rejected though within what was delivered", says + " "
                        + abbreviate(facts.events.get(facts.events.size() - 1).payload().toString()));
            }
            if (facts.approvedRefund != null && facts.approvedRefund.compareTo(facts.expectedRefund) != 0) {
                violation("6 return's refund is not its lines at their prices", says + ": approved "
                        + facts.approvedRefund + ", lines " + facts.expectedRefund);
            }
            boolean received = facts.has("ReturnReceivedEvent");
            // Matched by the return's id within the reference, whatever else the saga puts in it.
            List<Event> refunds = referring(store.refundsByReference, facts.returnId);
            for (String product : facts.lines.keySet()) {
                List<Event> restocks = referring(store.receiptsByReference, facts.returnId).stream()
                        .filter(e -> product.equals(CrashStore.id(e.payload().path("productId")))).toList();
                long units = restocks.stream().mapToLong(e -> e.payload().path("quantity").asLong()).sum();
                if (units != (received ? facts.lines.get(product) : 0)) {
                    violation("6 return restocked otherwise than received", says + ": product " + product
                            + " returned " + facts.lines.get(product) + ", restocked " + units + " in "
                            + restocks.size() + " receipt(s)");
                }
            }
            BigDecimal refunded = refunds.stream().map(e -> CrashStore.money(e.payload().path("amount")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal expected = received && facts.approvedRefund != null ? facts.approvedRefund : BigDecimal.ZERO;
            if (refunded.compareTo(expected) != 0 || refunds.size() > 1) {
                violation("6 return refunded otherwise than received", says + ": refunds " + refunded + " in "
                        + refunds.size() + " payment event(s), expected " + expected);
            }
            if (received != facts.has("ReturnRefundedEvent") || received != facts.has("ReturnRestockedEvent")) {
                violation("6 return's own story incomplete", says);
            }
            refundedByReturns = refundedByReturns.add(refunded);
        }
        BigDecimal paymentRefunds = order.sum(order.payments, "PaymentRefundedEvent", "amount");
        if (paymentRefunds.compareTo(refundedByReturns) != 0) {
            violation("6 payment refunds do not add up to the order's returns", "order " + order.orderId
                    + ": payment refunded " + paymentRefunds + ", returns refunded " + refundedByReturns);
        }
        if (client != null) {
            for (String returnId : client.returnIds) {
                ReturnFacts facts = order.returns.get(returnId);
                if (facts == null) {
                    violation("6 acknowledged return missing from the event store", returnId + " of order "
                            + order.orderId);
                } else if (client.receivedReturnIds.contains(returnId) && !facts.has("ReturnReceivedEvent")) {
                    violation("6 acknowledged receipt missing from the event store", returnId + " of order "
                            + order.orderId);
                }
            }
        }
    }

    private static List<Event> referring(Map<String, List<Event>> byReference, String id) {
        return byReference.entrySet().stream().filter(e -> e.getKey().contains(id))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    /** Stock and money over every order in the store. */
    private void checkTotals(CrashStore store) {
        Map<String, Long> held = new TreeMap<>();
        Map<String, Long> committed = new TreeMap<>();
        BigDecimal captured = BigDecimal.ZERO;
        BigDecimal deliveredTotals = BigDecimal.ZERO;
        for (OrderFacts order : store.orders.values()) {
            order.lines.keySet().forEach(p -> {
                held.merge(p, (long) held(order, p), Long::sum);
                committed.merge(p, (long) order.stock(p)[2], Long::sum);
            });
            captured = captured.add(order.sum(order.payments, "PaymentCapturedEvent", "amount"));
            if (order.status().equals("DELIVERED")) {
                deliveredTotals = deliveredTotals.add(order.total);
            }
        }
        store.products.forEach((product, s) -> {
            long reservedNow = s[2] - s[3] - s[1];
            if (reservedNow != held.getOrDefault(product, 0L) || s[1] != committed.getOrDefault(product, 0L)) {
                violation("7 stock does not add up over the orders", "product " + product + ": store reserved "
                        + s[2] + ", released " + s[3] + ", committed " + s[1] + "; orders hold "
                        + held.getOrDefault(product, 0L) + " and committed " + committed.getOrDefault(product, 0L));
            }
        });
        if (captured.compareTo(deliveredTotals) != 0) {
            violation("7 captured money does not add up", "captured " + captured + ", delivered orders' totals "
                    + deliveredTotals);
        }
    }

    /**
     * Every invariant the REST API must agree on with the store: each order's status, workflow, payment and
     * shipment, each product's stock, each return, each registration, and no parked dead letter. Read models lag a
     * little behind the store, so each item is read again until it agrees or {@code patience} is over.
     */
    void checkApi(CrashLedger ledger, CrashStore store, Http staff, Http operator, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (OrderFacts order : store.orders.values()) {
                checks.add(pool.submit(() -> agree(deadline, mismatch -> violation(mismatch[0], mismatch[1]),
                        () -> orderMismatch(order, staff))));
            }
            for (Map.Entry<String, long[]> product : store.products.entrySet()) {
                checks.add(pool.submit(() -> agree(deadline, mismatch -> violation(mismatch[0], mismatch[1]),
                        () -> stockMismatch(product.getKey(), product.getValue(), staff))));
            }
            for (ReturnFacts facts : store.returns.values()) {
                checks.add(pool.submit(() -> agree(deadline, mismatch -> violation(mismatch[0], mismatch[1]),
                        () -> returnMismatch(facts, staff))));
            }
            Set<String> customers = new java.util.HashSet<>(store.customers);
            customers.addAll(ledger.registrations.keySet());
            for (String customerId : customers) {
                checks.add(pool.submit(() -> agree(deadline, mismatch -> violation(mismatch[0], mismatch[1]),
                        () -> {
                            Http.Response response = staff.get("/api/customers/" + customerId);
                            return response.status() == 200 ? null : new String[] {
                                    "9 registration not readable", "customer " + customerId + " ("
                                    + (ledger.registrations.containsKey(customerId) ? "acknowledged" : "in the store only")
                                    + "): GET answered " + response};
                        })));
            }
            for (Future<?> check : checks) {
                check.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("An API check failed to run", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (JsonNode letter : operator.get("/api/ops/dead-letters?limit=100").json().path("items")) {
            violation("8 dead letter parked", "processor " + letter.path("processor").asText() + ", aggregate "
                    + letter.path("aggregateIdentifier").asText() + ", " + letter.path("payloadType").asText() + ": "
                    + letter.path("causeType").asText() + " " + abbreviate(letter.path("causeMessage").asText()));
        }
        JsonNode pastDeadline = operator.get("/api/ops/sagas/past-deadline").json();
        for (JsonNode saga : pastDeadline.isArray() ? pastDeadline : pastDeadline.path("items")) {
            violation("8 saga past its deadline", saga.path("type").asText() + " of " + saga.path("businessId").asText()
                    + ": " + saga.path("status").asText() + " at " + saga.path("currentStep").asText() + ", deadline "
                    + saga.path("deadline").asText() + ", steps " + steps(saga));
        }
    }

    /** Reads until the check finds nothing amiss or the deadline passes; then reports its last finding. */
    private static void agree(long deadline, Consumer<String[]> report, java.util.function.Supplier<String[]> check) {
        String[] mismatch;
        while (true) {
            try {
                mismatch = check.get();
            } catch (RuntimeException e) {
                mismatch = new String[] {"8 API check could not read", e.toString()};
            }
            if (mismatch == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                report.accept(mismatch);
                return;
            }
            CrashNode.sleep(500);
        }
    }

    private static String[] orderMismatch(OrderFacts order, Http staff) {
        String status = order.status();
        Http.Response read = staff.get("/api/orders/" + order.orderId);
        if (read.status() != 200) {
            return new String[] {"8 order's read model disagrees with the store", order.orderId + ": store says "
                    + status + ", GET /api/orders answered " + read};
        }
        String apiStatus = read.json().path("status").asText();
        if (!status.equals(apiStatus)) {
            return new String[] {"8 order's read model disagrees with the store", order.orderId + ": store says "
                    + status + ", API says " + apiStatus};
        }

        JsonNode workflow = staff.get("/api/workflows/" + WorkflowId.forBusiness("order-fulfilment", order.orderId)).json();
        String workflowStatus = workflow.path("status").asText(null);
        String step = workflow.path("currentStep").asText(null);
        boolean workflowRight = switch (status) {
            case "CONFIRMED" -> "RUNNING".equals(workflowStatus) && "await-dispatch".equals(step);
            case "SHIPPED" -> "RUNNING".equals(workflowStatus) && "await-delivery".equals(step);
            case "DELIVERED" -> "COMPLETED".equals(workflowStatus);
            case "CANCELLED", "REJECTED" -> "COMPENSATED".equals(workflowStatus);
            default -> true;
        };
        if (!workflowRight) {
            return new String[] {"8 order's workflow tells another story", order.orderId + ": order " + status
                    + ", workflow " + workflowStatus + " at " + step + ", steps " + steps(workflow)};
        }

        JsonNode payments = staff.get("/api/payments?orderId=" + order.orderId).json().path("items");
        String storePayment = order.paymentStatus();
        String apiPayment = payments.isEmpty() ? null : payments.get(0).path("status").asText();
        BigDecimal storeRefunded = order.sum(order.payments, "PaymentRefundedEvent", "amount");
        BigDecimal apiRefunded = payments.isEmpty() ? BigDecimal.ZERO : CrashStore.money(payments.get(0).path("refunded"));
        if (payments.size() > 1 || !Objects.equals(storePayment, apiPayment) || storeRefunded.compareTo(apiRefunded) != 0) {
            return new String[] {"8 order's payment read model disagrees with the store", order.orderId + " ("
                    + status + "): store says payment " + storePayment + " refunded " + storeRefunded + ", API says "
                    + payments};
        }

        JsonNode shipments = staff.get("/api/shipments?orderId=" + order.orderId).json().path("items");
        String storeShipment = order.shipmentStatus();
        String apiShipment = shipments.isEmpty() ? null : shipments.get(0).path("status").asText();
        if (shipments.size() > 1 || !Objects.equals(storeShipment, apiShipment)) {
            return new String[] {"8 order's shipment read model disagrees with the store", order.orderId + " ("
                    + status + "): store says shipment " + storeShipment + ", API says " + shipments};
        }
        return null;
    }

    private static String steps(JsonNode workflow) {
        List<String> steps = new ArrayList<>();
        workflow.path("steps").forEach(s -> steps.add(s.path("name").asText() + ":" + s.path("status").asText()
                + (s.path("error").isTextual() ? "(" + abbreviate(s.path("error").asText()) + ")" : "")));
        return String.join(", ", steps);
    }

    private static String[] stockMismatch(String product, long[] s, Http staff) {
        long onHand = s[0] - s[1];
        long reserved = s[2] - s[3] - s[1];
        Http.Response read = staff.get("/api/inventory/" + product);
        if (read.status() != 200) {
            return new String[] {"7 stock read model disagrees with the store", product + ": GET answered " + read};
        }
        JsonNode stock = read.json();
        if (stock.path("onHand").asLong() != onHand || stock.path("reserved").asLong() != reserved
                || stock.path("available").asLong() != onHand - reserved) {
            return new String[] {"7 stock read model disagrees with the store", "product " + product
                    + ": store says received " + s[0] + " - committed " + s[1] + " = on hand " + onHand
                    + ", held reservations " + reserved + ", available " + (onHand - reserved) + "; API says " + stock};
        }
        return null;
    }

    private static String[] returnMismatch(ReturnFacts facts, Http staff) {
        Http.Response read = staff.get("/api/returns/" + facts.returnId);
        String storeStatus = facts.status();
        if (read.status() != 200 || !storeStatus.equals(read.json().path("status").asText())) {
            return new String[] {"8 return's read model disagrees with the store", facts.returnId + ": store says "
                    + storeStatus + ", API says " + read};
        }
        if (storeStatus.equals("REFUNDED") || storeStatus.equals("APPROVED")) {
            JsonNode workflow = staff.get("/api/workflows/" + WorkflowId.forBusiness("product-return", facts.returnId))
                    .json();
            String expected = storeStatus.equals("REFUNDED") ? "COMPLETED" : "RUNNING";
            if (!expected.equals(workflow.path("status").asText())) {
                return new String[] {"8 return's workflow tells another story", facts.returnId + ": return "
                        + storeStatus + ", workflow " + workflow.path("status").asText() + ", steps " + steps(workflow)};
            }
        }
        return null;
    }

    /** Keeps a message readable: reasons may quote a whole failed SQL statement. */
    static String abbreviate(String text) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 240 ? line : line.substring(0, 240) + "…";
    }

    /** The report: each invariant with its count and first examples. */
    String summary(int examples) {
        if (violations.isEmpty()) {
            return "no violations";
        }
        return violations().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size() + "\n    "
                        + e.getValue().stream().limit(examples).collect(Collectors.joining("\n    ")))
                .collect(Collectors.joining("\n"));
    }

    String full() {
        return violations().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size() + "\n    "
                + String.join("\n    ", e.getValue())).collect(Collectors.joining("\n"));
    }
}
