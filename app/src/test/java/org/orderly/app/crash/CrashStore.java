package org.orderly.app.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The event store as {@link CrashIT} reads it: every business event in Axon's {@code domain_event_entry}, read with
 * JDBC as the event-store role and parsed from its JSON payload, folded into what each order, product, payment,
 * shipment and return went through. The store is the truth a client may never have seen: an order committed just
 * before a kill exists here though its client got no answer.
 */
final class CrashStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its global index, simple type name and payload. */
    /** @param actorRoles the roles of whoever caused the event (metadata {@code actorRoles}), e.g. CUSTOMER or SYSTEM */
    record Event(long index, String type, JsonNode payload, String actorRoles) {
        @Override
        public String toString() {
            return "#" + index + " " + type + " " + payload;
        }
    }

    /** One order as the store tells it. */
    static final class OrderFacts {
        final String orderId;
        final String customerId;
        /** Product id to quantity, and to unit price. */
        final Map<String, Integer> lines = new LinkedHashMap<>();
        final Map<String, BigDecimal> unitPrices = new HashMap<>();
        final BigDecimal total;
        /** The order's own events after its placement, in order. */
        final List<Event> history = new ArrayList<>();
        /** Product id to units reserved, released, committed; and how many reservations were refused. */
        final Map<String, int[]> stock = new HashMap<>();
        final Map<String, Integer> reservationsRefused = new HashMap<>();
        final Map<String, Integer> reservedEvents = new HashMap<>();
        /** Every payment event naming this order, in order. */
        final List<Event> payments = new ArrayList<>();
        final Set<String> paymentIds = new HashSet<>();
        final List<Event> shipments = new ArrayList<>();
        final Set<String> shipmentIds = new HashSet<>();
        final Map<String, ReturnFacts> returns = new LinkedHashMap<>();

        OrderFacts(String orderId, String customerId, BigDecimal total) {
            this.orderId = orderId;
            this.customerId = customerId;
            this.total = total;
        }

        /** The status its last status event set: PENDING until one. */
        String status() {
            String status = "PENDING";
            for (Event event : history) {
                status = switch (event.type()) {
                    case "OrderConfirmedEvent" -> "CONFIRMED";
                    case "OrderShippedEvent" -> "SHIPPED";
                    case "OrderDeliveredEvent" -> "DELIVERED";
                    case "OrderRejectedEvent" -> "REJECTED";
                    case "OrderCancelledEvent" -> "CANCELLED";
                    default -> status;
                };
            }
            return status;
        }

        /**
         * Who closed it: the roles of the actor of its rejection or cancellation ({@code CUSTOMER} for its client,
         * {@code SYSTEM} for a saga), read from the event's metadata; the reason text itself is personal data, stored
         * sealed.
         */
        String closedBy() {
            for (Event event : history) {
                if (event.type().equals("OrderRejectedEvent") || event.type().equals("OrderCancelledEvent")) {
                    return event.actorRoles();
                }
            }
            return null;
        }

        /** Why it was rejected or cancelled, when it was (sealed for a cancellation). */
        String closeReason() {
            for (Event event : history) {
                if (event.type().equals("OrderRejectedEvent") || event.type().equals("OrderCancelledEvent")) {
                    return event.payload().path("reason").asText(null);
                }
            }
            return null;
        }

        int[] stock(String productId) {
            return stock.computeIfAbsent(productId, p -> new int[3]);
        }

        long count(List<Event> events, String type) {
            return events.stream().filter(e -> e.type().equals(type)).count();
        }

        BigDecimal sum(List<Event> events, String type, String field) {
            return events.stream().filter(e -> e.type().equals(type)).map(e -> money(e.payload().path(field)))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** The payment's stage as its events leave it, named as the payments read model names it. */
        String paymentStatus() {
            String status = null;
            BigDecimal refunded = BigDecimal.ZERO;
            for (Event event : payments) {
                switch (event.type()) {
                    case "PaymentAuthorizationRequestedEvent" -> status = "AUTHORIZATION_PENDING";
                    case "PaymentAuthorizedEvent" -> status = "AUTHORIZED";
                    case "PaymentDeclinedEvent" -> status = "DECLINED";
                    case "PaymentAuthorizationCancelledEvent", "PaymentVoidedEvent" -> status = "VOIDED";
                    case "PaymentCapturedEvent" -> status = "CAPTURED";
                    case "PaymentRefundedEvent" -> {
                        refunded = refunded.add(money(event.payload().path("amount")));
                        status = refunded.compareTo(total) >= 0 ? "REFUNDED" : "PARTIALLY_REFUNDED";
                    }
                    default -> {
                    }
                }
            }
            return status;
        }

        String shipmentStatus() {
            String status = null;
            for (Event event : shipments) {
                status = switch (event.type()) {
                    case "ShipmentCreatedEvent" -> status == null ? "CREATED" : status;
                    case "ShipmentDispatchedEvent" -> "DISPATCHED";
                    case "ShipmentDeliveredEvent" -> "DELIVERED";
                    default -> status;
                };
            }
            return status;
        }
    }

    /** One return as the store tells it. */
    static final class ReturnFacts {
        final String returnId;
        final String orderId;
        final Map<String, Integer> lines = new LinkedHashMap<>();
        final List<Event> events = new ArrayList<>();
        BigDecimal approvedRefund;
        BigDecimal expectedRefund = BigDecimal.ZERO;

        ReturnFacts(String returnId, String orderId) {
            this.returnId = returnId;
            this.orderId = orderId;
        }

        boolean has(String type) {
            return events.stream().anyMatch(e -> e.type().equals(type));
        }

        long count(String type) {
            return events.stream().filter(e -> e.type().equals(type)).count();
        }

        String status() {
            String status = "REQUESTED";
            for (Event event : events) {
                status = switch (event.type()) {
                    case "ReturnApprovedEvent" -> "APPROVED";
                    case "ReturnRejectedEvent" -> "REJECTED";
                    case "ReturnReceivedEvent" -> "RECEIVED";
                    case "ReturnRefundedEvent" -> "REFUNDED";
                    default -> status;
                };
            }
            return status;
        }
    }

    final Map<String, OrderFacts> orders = new LinkedHashMap<>();
    final Map<String, ReturnFacts> returns = new LinkedHashMap<>();
    final Set<String> customers = new HashSet<>();
    /** Product id to units received, committed, reserved, released, over the whole store. */
    final Map<String, long[]> products = new HashMap<>();
    /** Receipt reference to the receipts that carried it: a return's restock must appear once. */
    final Map<String, List<Event>> receiptsByReference = new HashMap<>();
    /** Refund reference to the payment refunds that carried it. */
    final Map<String, List<Event>> refundsByReference = new HashMap<>();
    /** Events naming an order the store has no placement for. */
    final List<Event> orphans = new ArrayList<>();
    long events;
    long lastIndex;

    static CrashStore read(Connection connection) throws SQLException {
        CrashStore store = new CrashStore();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT global_index, payload_type, payload, meta_data FROM event_store.domain_event_entry
                 WHERE payload_type NOT LIKE '%.WorkflowUpdatedEvent' ORDER BY global_index""")) {
            statement.setFetchSize(2000);
            connection.setAutoCommit(false); // a cursor, not every row in memory at once
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(2);
                    store.add(new Event(rows.getLong(1), type.substring(type.lastIndexOf('.') + 1),
                            parse(rows.getBytes(3)), parse(rows.getBytes(4)).path("actorRoles").asText("")));
                }
            }
            connection.commit();
        }
        return store;
    }

    /** The newest global index in the store: grows while anything still happens. */
    static long lastIndex(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void add(Event event) {
        events++;
        lastIndex = event.index();
        JsonNode p = event.payload();
        String type = event.type();
        switch (type) {
            case "CustomerRegisteredEvent" -> customers.add(id(p.path("customerId")));
            case "OrderPlacedEvent" -> {
                OrderFacts order = new OrderFacts(id(p.path("orderId")), id(p.path("customerId")), money(p.path("total")));
                for (JsonNode line : p.path("lines")) {
                    String product = id(line.path("productId"));
                    order.lines.merge(product, line.path("quantity").asInt(), Integer::sum);
                    order.unitPrices.put(product, money(line.path("unitPrice")));
                }
                orders.put(order.orderId, order);
            }
            case "OrderConfirmedEvent", "OrderShippedEvent", "OrderDeliveredEvent", "OrderRejectedEvent",
                 "OrderCancelledEvent" -> order(event).ifPresent(o -> o.history.add(event));
            case "StockReceivedEvent" -> {
                product(p)[0] += p.path("quantity").asLong();
                String reference = p.path("receiptReference").asText(null);
                if (reference != null) {
                    receiptsByReference.computeIfAbsent(reference, r -> new ArrayList<>()).add(event);
                }
            }
            case "StockReservedEvent" -> {
                product(p)[2] += p.path("quantity").asLong();
                order(event).ifPresent(o -> {
                    o.stock(id(p.path("productId")))[0] += p.path("quantity").asInt();
                    o.reservedEvents.merge(id(p.path("productId")), 1, Integer::sum);
                });
            }
            case "StockReleasedEvent" -> {
                product(p)[3] += p.path("quantity").asLong();
                order(event).ifPresent(o -> o.stock(id(p.path("productId")))[1] += p.path("quantity").asInt());
            }
            case "StockCommittedEvent" -> {
                product(p)[1] += p.path("quantity").asLong();
                order(event).ifPresent(o -> o.stock(id(p.path("productId")))[2] += p.path("quantity").asInt());
            }
            case "StockReservationRejectedEvent" -> order(event).ifPresent(o ->
                    o.reservationsRefused.merge(id(p.path("productId")), 1, Integer::sum));
            case "PaymentAuthorizationRequestedEvent", "PaymentAuthorizedEvent", "PaymentDeclinedEvent",
                 "PaymentAuthorizationCancelledEvent", "PaymentVoidedEvent", "PaymentCapturedEvent" ->
                    order(event).ifPresent(o -> {
                        o.payments.add(event);
                        o.paymentIds.add(id(p.path("paymentId")));
                    });
            case "PaymentRefundedEvent" -> {
                order(event).ifPresent(o -> {
                    o.payments.add(event);
                    o.paymentIds.add(id(p.path("paymentId")));
                });
                String reference = p.path("refundReference").asText(null);
                if (reference != null) {
                    refundsByReference.computeIfAbsent(reference, r -> new ArrayList<>()).add(event);
                }
            }
            case "ShipmentCreatedEvent", "ShipmentDispatchedEvent", "ShipmentDeliveredEvent" ->
                    order(event).ifPresent(o -> {
                        o.shipments.add(event);
                        o.shipmentIds.add(id(p.path("shipmentId")));
                    });
            case "ReturnRequestedEvent" -> {
                ReturnFacts facts = new ReturnFacts(id(p.path("returnId")), id(p.path("orderId")));
                facts.events.add(event);
                returns.put(facts.returnId, facts);
                order(event).ifPresent(o -> o.returns.put(facts.returnId, facts));
            }
            case "ReturnApprovedEvent", "ReturnRejectedEvent", "ReturnReceivedEvent", "ReturnRestockedEvent",
                 "ReturnRefundedEvent" -> {
                ReturnFacts facts = returns.get(id(p.path("returnId")));
                if (facts == null) {
                    orphans.add(event);
                    return;
                }
                facts.events.add(event);
                if (type.equals("ReturnApprovedEvent")) {
                    facts.approvedRefund = money(p.path("refund"));
                    for (JsonNode line : p.path("lines")) {
                        int quantity = line.path("quantity").asInt();
                        facts.lines.merge(id(line.path("productId")), quantity, Integer::sum);
                        facts.expectedRefund = facts.expectedRefund.add(
                                money(line.path("unitPrice")).multiply(BigDecimal.valueOf(quantity)));
                    }
                }
            }
            default -> {
            }
        }
    }

    private java.util.Optional<OrderFacts> order(Event event) {
        OrderFacts order = orders.get(id(event.payload().path("orderId")));
        if (order == null) {
            orphans.add(event);
        }
        return java.util.Optional.ofNullable(order);
    }

    private long[] product(JsonNode payload) {
        return products.computeIfAbsent(id(payload.path("productId")), p -> new long[4]);
    }

    /** An id as the payload holds it: a bare string, or an id record's {@code value}. */
    static String id(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        JsonNode value = node.path("value");
        return value.isMissingNode() ? node.toString() : value.asText();
    }

    static BigDecimal money(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return BigDecimal.ZERO;
        }
        JsonNode amount = node.has("amount") ? node.get("amount") : node;
        return new BigDecimal(amount.asText()).stripTrailingZeros();
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("An event payload that is not JSON", e);
        }
    }
}
