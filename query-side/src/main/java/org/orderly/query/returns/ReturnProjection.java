package org.orderly.query.returns;

import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.returns.FindReturnQuery;
import org.orderly.api.returns.FindReturnsQuery;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnPage;
import org.orderly.api.returns.ReturnReceivedEvent;
import org.orderly.api.returns.ReturnRefundedEvent;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.api.returns.ReturnRestockedEvent;
import org.orderly.api.returns.ReturnStatus;
import org.orderly.api.returns.ReturnView;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code returns} read model, with each return's lines in {@code return_lines}. Every write is guarded by
 * the return's sequence number, so a redelivered or replayed event changes nothing it has already changed. Beside
 * them, {@code order_owners}: who placed each order, which is all that ties a return to a customer, so that a
 * customer sees only their own. This processor keeps it itself rather than reading {@code order_copies}, which
 * another processor writes and resets, so that replaying this one rebuilds everything its queries read.
 */
@Component
@ProcessingGroup(ReturnProjection.PROCESSING_GROUP)
class ReturnProjection {

    static final String PROCESSING_GROUP = "returns";

    /** Only the returns of orders that the customer given as argument placed. */
    private static final String OWNED_BY =
            "order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final ProjectionWrites writes;

    ReturnProjection(DomainStores stores) {
        this.jdbc = stores.get(ReturnsStore.DOMAIN).jdbc();
        this.namedJdbc = stores.get(ReturnsStore.DOMAIN).namedJdbc();
        this.writes = stores.get(ReturnsStore.DOMAIN).writes();
    }

    /** Published by the order domain: who placed the order, the only owner a return has. */
    @EventHandler
    void on(OrderPlacedEvent event) {
        writes.update(event.orderId(), """
                INSERT INTO order_owners (order_id, customer_id) VALUES (?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value());
    }

    @EventHandler
    void on(ReturnRequestedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        int inserted = jdbc.update("""
                INSERT INTO returns (return_id, order_id, status, reason, version, updated_at)
                VALUES (?, ?, 'REQUESTED', ?, ?, ?)
                ON CONFLICT (return_id) DO NOTHING
                """, event.returnId().value(), event.orderId().value(), event.reason(), version,
                java.sql.Timestamp.from(at));
        if (inserted == 0) {
            return; // applied before, lines included
        }
        List<Object[]> lines = new ArrayList<>();
        for (int i = 0; i < event.lines().size(); i++) {
            ReturnLine line = event.lines().get(i);
            lines.add(new Object[] {event.returnId().value(), i, line.productId().value(), line.quantity(),
                    line.unitPrice() == null ? null : line.unitPrice().amount(),
                    line.unitPrice() == null ? null : line.unitPrice().currency()});
        }
        jdbc.batchUpdate("""
                INSERT INTO return_lines (return_id, line_no, product_id, quantity, unit_price_amount, unit_price_currency)
                VALUES (?, ?, ?, ?, ?, ?)
                """, lines);
    }

    @EventHandler
    void on(ReturnApprovedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE returns SET status = 'APPROVED', refund_amount = ?, refund_currency = ?, version = ?, updated_at = ?
                 WHERE return_id = ? AND version < ?
                """, event.refund().amount(), event.refund().currency(), version, java.sql.Timestamp.from(at),
                event.returnId().value(), version);
    }

    @EventHandler
    void on(ReturnRejectedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE returns SET status = 'REJECTED', rejection_reason = ?, version = ?, updated_at = ?
                 WHERE return_id = ? AND version < ?
                """, event.reason(), version, java.sql.Timestamp.from(at), event.returnId().value(), version);
    }

    @EventHandler
    void on(ReturnReceivedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        status(event.returnId(), ReturnStatus.RECEIVED, version, at);
    }

    /** Restocking changes no status; the version still moves, since the ETag is the aggregate's version. */
    @EventHandler
    void on(ReturnRestockedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        jdbc.update("UPDATE returns SET version = ?, updated_at = ? WHERE return_id = ? AND version < ?",
                version, java.sql.Timestamp.from(at), event.returnId().value(), version);
    }

    @EventHandler
    void on(ReturnRefundedEvent event, @SequenceNumber long version, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE returns SET status = 'REFUNDED', refund_amount = ?, refund_currency = ?, version = ?, updated_at = ?
                 WHERE return_id = ? AND version < ?
                """, event.refund().amount(), event.refund().currency(), version, java.sql.Timestamp.from(at),
                event.returnId().value(), version);
    }

    private void status(ReturnId returnId, ReturnStatus status, long version, Instant at) {
        jdbc.update("UPDATE returns SET status = ?, version = ?, updated_at = ? WHERE return_id = ? AND version < ?",
                status.name(), version, java.sql.Timestamp.from(at), returnId.value(), version);
    }

    /** A return's reason is text its customer typed: once they are erased, the readable copy kept here goes. */
    @EventHandler
    void on(CustomerErasedEvent event) {
        jdbc.update("""
                UPDATE returns SET reason = ?
                 WHERE order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)
                """, PersonalData.ERASED, event.customerId().value());
    }

    /** A replay starts from empty tables; only this read model's tables are touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE return_lines, returns, order_owners");
    }

    private static final String COLUMNS = """
            SELECT return_id, order_id, status, reason, refund_amount, refund_currency, rejection_reason, version
              FROM returns""";
    /** {@link #COLUMNS} and the customer who placed the return's order, {@code null} while that is not copied. */
    private static final String COLUMNS_AND_OWNER = """
            SELECT return_id, order_id, status, reason, refund_amount, refund_currency, rejection_reason, version,
                   (SELECT o.customer_id FROM order_owners o WHERE o.order_id = returns.order_id) AS owner
              FROM returns""";

    @QueryHandler
    ReturnView handle(FindReturnQuery query, Actor actor) {
        // Another customer's return, or to a customer one whose owner is not copied yet, answers as unknown.
        List<Row> found = jdbc.query(COLUMNS_AND_OWNER + " WHERE return_id = ?",
                (rs, row) -> actor.mayAccess(rs.getObject("owner", UUID.class)) ? row(rs, row) : null,
                query.returnId().value());
        return found.isEmpty() || found.get(0) == null ? null : withLines(found).get(0);
    }

    @QueryHandler
    ReturnPage handle(FindReturnsQuery query, Actor actor) {
        // A customer lists only their own orders' returns; an actor who sees no business data, none.
        Actor.ListScope scope = actor.listScope(null);
        if (!scope.visible()) {
            return new ReturnPage(List.of(), null);
        }
        StringBuilder sql = new StringBuilder(COLUMNS + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (scope.customer() != null) {
            sql.append(" AND ").append(OWNED_BY);
            args.add(scope.customer());
        }
        if (query.orderId() != null) {
            sql.append(" AND order_id = ?");
            args.add(query.orderId().value());
        }
        if (query.after() != null) {
            sql.append(" AND return_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY return_id LIMIT ?");
        args.add(query.limit() + 1);
        List<Row> rows = jdbc.query(sql.toString(), ReturnProjection::row, args.toArray());
        if (rows.size() <= query.limit()) {
            return new ReturnPage(withLines(rows), null);
        }
        List<ReturnView> page = withLines(rows.subList(0, query.limit()));
        return new ReturnPage(page, page.get(page.size() - 1).returnId());
    }

    /** The lines of all the given returns in one query, in line order. */
    private List<ReturnView> withLines(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<ReturnLine>> lines = new LinkedHashMap<>();
        rows.forEach(r -> lines.put(r.returnId(), new ArrayList<>()));
        namedJdbc.query("""
                SELECT return_id, product_id, quantity, unit_price_amount, unit_price_currency FROM return_lines
                 WHERE return_id IN (:ids) ORDER BY return_id, line_no
                """, Map.of("ids", List.copyOf(lines.keySet())), rs -> {
            lines.get(rs.getObject("return_id", UUID.class)).add(new ReturnLine(
                    new ProductId(rs.getObject("product_id", UUID.class)), rs.getInt("quantity"),
                    money(rs, "unit_price_amount", "unit_price_currency")));
        });
        return rows.stream().map(r -> new ReturnView(new ReturnId(r.returnId()), new OrderId(r.orderId()), r.status(),
                r.reason(), List.copyOf(lines.get(r.returnId())), r.refund(), r.rejectionReason(), r.version())).toList();
    }

    private record Row(UUID returnId, UUID orderId, ReturnStatus status, String reason, Money refund,
                       String rejectionReason, long version) {
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getObject("return_id", UUID.class), rs.getObject("order_id", UUID.class),
                ReturnStatus.valueOf(rs.getString("status")), rs.getString("reason"),
                money(rs, "refund_amount", "refund_currency"), rs.getString("rejection_reason"), rs.getLong("version"));
    }

    private static Money money(ResultSet rs, String amount, String currency) throws SQLException {
        return rs.getBigDecimal(amount) == null ? null : new Money(rs.getBigDecimal(amount), rs.getString(currency));
    }
}
