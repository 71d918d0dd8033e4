package org.orderly.query.order;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerErasedEvent;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.FindOrderQuery;
import org.orderly.api.order.FindOrdersQuery;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderDeliveredEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPage;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.order.OrderShippedEvent;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.order.OrderStatusChange;
import org.orderly.api.order.OrderView;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code orders} read model: each order with its snapshotted lines and its status history. Writes
 * are guarded by the order's sequence number (and rows inserted once), so redelivery and replay change nothing
 * twice. The handlers never read, so their writes go out together when the batch commits
 * ({@link ProjectionWrites}), keyed by order.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
class OrderProjection {

    static final String PROCESSING_GROUP = "orders";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    OrderProjection(DomainStores stores) {
        this.jdbc = stores.get(OrderStore.DOMAIN).jdbc();
        this.writes = stores.get(OrderStore.DOMAIN).writes();
    }

    @EventHandler
    void on(OrderPlacedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        writes.update(event.orderId(), """
                INSERT INTO orders (order_id, customer_id, status, total_amount, total_currency, version, placed_at,
                                    shipping_address, billing_address, shipping_cost_amount, shipping_cost_currency)
                VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value(), event.total().amount(),
                event.total().currency(), version, Timestamp.from(at), AddressJson.write(event.shippingAddress()),
                AddressJson.write(event.billingAddress()),
                event.shippingCost() == null ? null : event.shippingCost().amount(),
                event.shippingCost() == null ? null : event.shippingCost().currency());
        for (int i = 0; i < event.lines().size(); i++) {
            OrderLine line = event.lines().get(i);
            writes.update(event.orderId(), """
                    INSERT INTO order_lines (order_id, line_no, product_id, product_name, quantity,
                                             unit_price_amount, unit_price_currency)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, line_no) DO NOTHING
                    """, event.orderId().value(), i, line.productId().value(), line.productName(),
                    line.quantity(), line.unitPrice().amount(), line.unitPrice().currency());
        }
        history(event.orderId(), version, OrderStatus.PENDING, at, null);
    }

    @EventHandler
    void on(OrderConfirmedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        move(event.orderId(), version, OrderStatus.CONFIRMED, at, null);
    }

    @EventHandler
    void on(OrderRejectedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        move(event.orderId(), version, OrderStatus.REJECTED, at, event.reason());
    }

    @EventHandler
    void on(OrderCancelledEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        move(event.orderId(), version, OrderStatus.CANCELLED, at, event.reason());
    }

    @EventHandler
    void on(OrderShippedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        move(event.orderId(), version, OrderStatus.SHIPPED, at, null);
    }

    @EventHandler
    void on(OrderDeliveredEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        move(event.orderId(), version, OrderStatus.DELIVERED, at, null);
    }

    /**
     * The addresses of orders placed from a checkout are personal data too: they go as well.
     * <p>
     * A cancellation's reason is text its customer (or staff, about them) typed: personal data, sealed in the event.
     * Once the customer is erased, the readable copy kept here goes too. The orders themselves stay: the business
     * needs them.
     */
    @EventHandler
    void on(CustomerErasedEvent event) {
        // across the customer's orders, some perhaps placed earlier in this very batch: after the batch's writes
        writes.updateAfterPending("""
                UPDATE order_status_history h SET reason = ?
                  FROM orders o
                 WHERE o.order_id = h.order_id AND o.customer_id = ? AND h.status = 'CANCELLED' AND h.reason IS NOT NULL
                """, PersonalData.ERASED, event.customerId().value());
        writes.updateAfterPending(
                "UPDATE orders SET shipping_address = NULL, billing_address = NULL WHERE customer_id = ?",
                event.customerId().value());
    }

    private void move(OrderId orderId, long version, OrderStatus status, Instant at, String reason) {
        writes.update(orderId, "UPDATE orders SET status = ?, version = ? WHERE order_id = ? AND version < ?",
                status.name(), version, orderId.value(), version);
        history(orderId, version, status, at, reason);
    }

    private void history(OrderId orderId, long version, OrderStatus status, Instant at, String reason) {
        writes.update(orderId, """
                INSERT INTO order_status_history (order_id, sequence, status, at, reason) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (order_id, sequence) DO NOTHING
                """, orderId.value(), version, status.name(), Timestamp.from(at), reason);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE orders, order_lines, order_status_history");
    }

    @QueryHandler
    OrderView handle(FindOrderQuery query, Actor actor) {
        List<OrderView> found = load("o.order_id = ?", List.of(query.orderId().value()), 1);
        // Another customer's order answers exactly as one that does not exist.
        return found.isEmpty() || !actor.mayAccess(found.get(0).customerId().value()) ? null : found.get(0);
    }

    @QueryHandler
    OrderPage handle(FindOrdersQuery query, Actor actor) {
        // A customer lists only their own orders (asking for another's gets none); staff, any customer's.
        Actor.ListScope scope = actor.listScope(query.customerId() == null ? null : query.customerId().value());
        if (!scope.visible()) {
            return new OrderPage(List.of(), null);
        }
        StringBuilder where = new StringBuilder("TRUE");
        List<Object> args = new ArrayList<>();
        if (scope.customer() != null) {
            where.append(" AND o.customer_id = ?");
            args.add(scope.customer());
        }
        if (query.status() != null) {
            where.append(" AND o.status = ?");
            args.add(query.status().name());
        }
        if (query.after() != null) {
            where.append(" AND o.order_id > ?");
            args.add(query.after().value());
        }
        List<OrderView> rows = load(where.toString(), args, query.limit() + 1);
        if (rows.size() <= query.limit()) {
            return new OrderPage(rows, null);
        }
        List<OrderView> page = List.copyOf(rows.subList(0, query.limit()));
        return new OrderPage(page, page.get(page.size() - 1).orderId());
    }

    /** Orders matching {@code where}, in id order, each with its lines, history and the customer's email copy. */
    private List<OrderView> load(String where, List<Object> args, int limit) {
        List<Object> params = new ArrayList<>(args);
        params.add(limit);
        Map<UUID, Object[]> orders = new LinkedHashMap<>();
        jdbc.query("""
                SELECT o.order_id, o.customer_id, o.status, o.total_amount, o.total_currency, o.version, c.email,
                       o.shipping_address, o.billing_address, o.shipping_cost_amount, o.shipping_cost_currency
                  FROM orders o LEFT JOIN customer_copies c ON c.customer_id = o.customer_id
                 WHERE %s ORDER BY o.order_id LIMIT ?
                """.formatted(where), rs -> {
            orders.put(rs.getObject("order_id", UUID.class), new Object[]{
                    rs.getObject("customer_id", UUID.class), rs.getString("status"),
                    new Money(rs.getBigDecimal("total_amount"), rs.getString("total_currency")),
                    rs.getLong("version"), rs.getString("email"), AddressJson.read(rs.getString("shipping_address")),
                    AddressJson.read(rs.getString("billing_address")),
                    rs.getBigDecimal("shipping_cost_amount") == null ? null
                            : new Money(rs.getBigDecimal("shipping_cost_amount"), rs.getString("shipping_cost_currency"))});
        }, params.toArray());
        if (orders.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<OrderLine>> lines = new LinkedHashMap<>();
        Map<UUID, List<OrderStatusChange>> history = new LinkedHashMap<>();
        jdbc.execute((java.sql.Connection connection) -> {
            Array ids = connection.createArrayOf("uuid", orders.keySet().toArray());
            try (var statement = connection.prepareStatement("""
                    SELECT order_id, product_id, product_name, quantity, unit_price_amount, unit_price_currency
                      FROM order_lines WHERE order_id = ANY (?) ORDER BY order_id, line_no
                    """)) {
                statement.setArray(1, ids);
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        lines.computeIfAbsent(rs.getObject("order_id", UUID.class), k -> new ArrayList<>())
                                .add(new OrderLine(new ProductId(rs.getObject("product_id", UUID.class)),
                                        rs.getString("product_name"), rs.getInt("quantity"),
                                        new Money(rs.getBigDecimal("unit_price_amount"), rs.getString("unit_price_currency"))));
                    }
                }
            }
            try (var statement = connection.prepareStatement("""
                    SELECT order_id, status, at, reason FROM order_status_history
                     WHERE order_id = ANY (?) ORDER BY order_id, sequence
                    """)) {
                statement.setArray(1, ids);
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        history.computeIfAbsent(rs.getObject("order_id", UUID.class), k -> new ArrayList<>())
                                .add(new OrderStatusChange(OrderStatus.valueOf(rs.getString("status")),
                                        rs.getTimestamp("at").toInstant(), rs.getString("reason")));
                    }
                }
            }
            return null;
        });
        List<OrderView> views = new ArrayList<>();
        orders.forEach((id, row) -> views.add(new OrderView(new OrderId(id), new CustomerId((UUID) row[0]),
                (String) row[4], OrderStatus.valueOf((String) row[1]), lines.getOrDefault(id, List.of()),
                (Money) row[2], history.getOrDefault(id, List.of()), (Long) row[3], (PostalAddress) row[5],
                (PostalAddress) row[6], (Money) row[7])));
        return views;
    }
}
