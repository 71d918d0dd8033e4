package org.orderly.query.returns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderDeliveredEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.order.OrderShippedEvent;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.returns.FindReturnableOrderQuery;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.returns.ReturnableOrder;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The returns domain's copy of orders: each order's customer, status, delivery time and lines with their
 * snapshotted unit prices (from the order domain's events), and the units approved returns claim (from the
 * returns' own events, in the same processor, so that one position says how fresh both are). Order rows are
 * guarded by the order's sequence number; claims are keyed by return and product, so a redelivery changes nothing.
 * <p>
 * A return request is decided on this copy. Before answering, the query waits (up to
 * {@code orderly.return-copies.max-wait}) until this processor has reached the head of the event store as it was
 * when asked: an order delivered, or a return approved, before the request is then in the copy.
 */
@Component
@ProcessingGroup(ReturnableOrderProjection.PROCESSING_GROUP)
@EnableConfigurationProperties(ReturnableOrderProjection.Settings.class)
class ReturnableOrderProjection {

    static final String PROCESSING_GROUP = "return-order-copies";

    /**
     * {@code orderly.return-copies.*}: the returns domain's copy of orders, which this side keeps and answers from
     * ({@code orderly.returns.*} is the command side's).
     *
     * @param maxWait how long a return request waits for the order copy to catch up
     */
    @ConfigurationProperties("orderly.return-copies")
    record Settings(@DefaultValue("PT2S") Duration maxWait) {
    }

    private static final Duration POLL = Duration.ofMillis(5);

    private final JdbcTemplate jdbc;
    private final ProcessorLag lag;
    private final Duration copyWait;

    ReturnableOrderProjection(DomainStores stores, ProcessorLag lag, Settings settings) {
        this.jdbc = stores.get(ReturnsStore.DOMAIN).jdbc();
        this.lag = lag;
        this.copyWait = settings.maxWait();
    }

    @EventHandler
    void on(OrderPlacedEvent event, @SequenceNumber long version) {
        int inserted = jdbc.update("""
                INSERT INTO order_copies (order_id, customer_id, status, version) VALUES (?, ?, 'PENDING', ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value(), version);
        if (inserted == 0) {
            return; // applied before, lines included
        }
        List<Object[]> lines = new ArrayList<>();
        for (OrderLine line : event.lines()) {
            lines.add(new Object[] {event.orderId().value(), line.productId().value(), line.quantity(),
                    line.unitPrice().amount(), line.unitPrice().currency()});
        }
        jdbc.batchUpdate("""
                INSERT INTO order_copy_lines (order_id, product_id, quantity, unit_price_amount, unit_price_currency)
                VALUES (?, ?, ?, ?, ?)
                """, lines);
    }

    @EventHandler
    void on(OrderConfirmedEvent event, @SequenceNumber long version) {
        status(event.orderId(), OrderStatus.CONFIRMED, version, null);
    }

    @EventHandler
    void on(OrderShippedEvent event, @SequenceNumber long version) {
        status(event.orderId(), OrderStatus.SHIPPED, version, null);
    }

    @EventHandler
    void on(OrderDeliveredEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        status(event.orderId(), OrderStatus.DELIVERED, version, at);
    }

    @EventHandler
    void on(OrderRejectedEvent event, @SequenceNumber long version) {
        status(event.orderId(), OrderStatus.REJECTED, version, null);
    }

    @EventHandler
    void on(OrderCancelledEvent event, @SequenceNumber long version) {
        status(event.orderId(), OrderStatus.CANCELLED, version, null);
    }

    private void status(OrderId orderId, OrderStatus status, long version, Instant deliveredAt) {
        jdbc.update("""
                UPDATE order_copies SET status = ?, delivered_at = COALESCE(?, delivered_at), version = ?
                 WHERE order_id = ? AND version < ?
                """, status.name(), deliveredAt == null ? null : java.sql.Timestamp.from(deliveredAt), version,
                orderId.value(), version);
    }

    @EventHandler
    void on(ReturnApprovedEvent event) {
        List<Object[]> claims = new ArrayList<>();
        for (ReturnLine line : event.lines()) {
            claims.add(new Object[] {event.returnId().value(), event.orderId().value(), line.productId().value(),
                    line.quantity()});
        }
        jdbc.batchUpdate("""
                INSERT INTO return_claims (return_id, order_id, product_id, quantity) VALUES (?, ?, ?, ?)
                ON CONFLICT (return_id, product_id) DO NOTHING
                """, claims);
    }

    /** A rejected request claimed nothing; a withdrawn approval gives its units back. */
    @EventHandler
    void on(ReturnRejectedEvent event) {
        jdbc.update("DELETE FROM return_claims WHERE return_id = ?", event.returnId().value());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE return_claims, order_copy_lines, order_copies");
    }

    /** Unrestricted: the command side asks it for the order a return request names, and checks its customer there. */
    @QueryHandler
    ReturnableOrder handle(FindReturnableOrderQuery query) throws InterruptedException {
        long head = lag.of(PROCESSING_GROUP).head();
        long deadline = System.nanoTime() + copyWait.toNanos();
        boolean upToDate;
        while (!(upToDate = lag.of(PROCESSING_GROUP).position() >= head) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        UUID orderId = query.orderId().value();
        List<Object[]> order = jdbc.query(
                "SELECT customer_id, status, delivered_at FROM order_copies WHERE order_id = ?",
                (rs, row) -> new Object[] {rs.getObject("customer_id", UUID.class), rs.getString("status"),
                        rs.getTimestamp("delivered_at")}, orderId);
        if (order.isEmpty()) {
            return new ReturnableOrder(query.orderId(), null, null, null, List.of(), upToDate);
        }
        List<ReturnableOrder.Line> lines = jdbc.query("""
                SELECT l.product_id, l.quantity, l.unit_price_amount, l.unit_price_currency,
                       COALESCE((SELECT sum(c.quantity) FROM return_claims c
                                  WHERE c.order_id = l.order_id AND c.product_id = l.product_id), 0) AS returned
                  FROM order_copy_lines l WHERE l.order_id = ? ORDER BY l.product_id
                """, (rs, row) -> new ReturnableOrder.Line(new ProductId(rs.getObject("product_id", UUID.class)),
                rs.getInt("quantity"), rs.getInt("returned"),
                new Money(rs.getBigDecimal("unit_price_amount"), rs.getString("unit_price_currency"))), orderId);
        UUID customerId = (UUID) order.get(0)[0];
        java.sql.Timestamp deliveredAt = (java.sql.Timestamp) order.get(0)[2];
        return new ReturnableOrder(query.orderId(), customerId == null ? null : new CustomerId(customerId),
                OrderStatus.valueOf((String) order.get(0)[1]), deliveredAt == null ? null : deliveredAt.toInstant(),
                lines, upToDate);
    }
}
