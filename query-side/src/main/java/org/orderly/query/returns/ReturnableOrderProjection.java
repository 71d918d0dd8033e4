package org.orderly.query.returns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderDeliveredEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.order.OrderShippedEvent;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The returns domain's copy of orders: each order's customer, status, delivery time and lines with their
 * snapshotted unit prices (from the order domain's events), and the units approved returns claim (from the
 * returns' own events, in the same processor, so that one position says how fresh both are). Order rows are
 * guarded by the order's sequence number; claims are keyed by return and product, so a redelivery changes nothing.
 * <p>
 * A return request is decided on this copy, which the command side reads from this schema itself
 * ({@code org.orderly.command.returns.JdbcReturnableOrders}).
 */
@Component
@ProcessingGroup(ReturnableOrderProjection.PROCESSING_GROUP)
class ReturnableOrderProjection {

    static final String PROCESSING_GROUP = "return-order-copies";

    private final JdbcTemplate jdbc;

    ReturnableOrderProjection(DomainStores stores) {
        this.jdbc = stores.get(ReturnsStore.DOMAIN).jdbc();
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
}
