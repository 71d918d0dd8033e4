package org.orderly.query.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.payment.FindPaymentQuery;
import org.orderly.api.payment.FindPaymentsQuery;
import org.orderly.api.payment.PaymentAuthorizationCancelledEvent;
import org.orderly.api.payment.PaymentAuthorizationRequestedEvent;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentCapturedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentPage;
import org.orderly.api.payment.PaymentRefundedEvent;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.payment.PaymentVoidedEvent;
import org.orderly.api.payment.PaymentView;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code payments} read model. Every write is guarded by the aggregate's sequence number, so a
 * redelivered or replayed event changes nothing it has already changed. Beside it, {@code order_owners}: who
 * placed each order, which is all that ties a payment to a customer, so that a customer sees only their own.
 */
@Component
@ProcessingGroup(PaymentProjection.PROCESSING_GROUP)
class PaymentProjection {

    static final String PROCESSING_GROUP = "payments";

    private static final String COLUMNS = "payment_id, order_id, amount, currency, refunded, status, version";
    /** The customer who placed the payment's order, or {@code null} while its OrderPlacedEvent is not copied. */
    private static final String OWNER =
            "(SELECT o.customer_id FROM order_owners o WHERE o.order_id = payments.order_id) AS owner";
    /** Only the payments of orders that the customer given as argument placed. */
    private static final String OWNED_BY =
            "order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    PaymentProjection(DomainStores stores) {
        this.jdbc = stores.get(PaymentStore.DOMAIN).jdbc();
        this.writes = stores.get(PaymentStore.DOMAIN).writes();
    }

    /** Published by the order domain: who placed the order, the only owner a payment has. */
    @EventHandler
    void on(OrderPlacedEvent event) {
        writes.update(event.orderId(), """
                INSERT INTO order_owners (order_id, customer_id) VALUES (?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value());
    }

    @EventHandler
    void on(PaymentAuthorizationRequestedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO payments (payment_id, order_id, amount, currency, refunded, status, version,
                                      last_position, updated_at)
                VALUES (?, ?, ?, ?, 0, 'AUTHORIZATION_PENDING', ?, ?, ?)
                ON CONFLICT (payment_id) DO NOTHING
                """, event.paymentId().value(), event.orderId().value(), event.amount().amount(),
                event.amount().currency(), version, position(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(PaymentAuthorizedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.paymentId(), PaymentStatus.AUTHORIZED, version, token, at);
    }

    @EventHandler
    void on(PaymentDeclinedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.paymentId(), PaymentStatus.DECLINED, version, token, at);
    }

    /** Nothing is held after a cancelled authorization, which is what VOIDED tells a reader. */
    @EventHandler
    void on(PaymentAuthorizationCancelledEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        status(event.paymentId(), PaymentStatus.VOIDED, version, token, at);
    }

    @EventHandler
    void on(PaymentCapturedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.paymentId(), PaymentStatus.CAPTURED, version, token, at);
    }

    @EventHandler
    void on(PaymentRefundedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE payments
                   SET refunded = ?,
                       status = CASE WHEN ? >= amount THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END,
                       version = ?, last_position = ?, updated_at = ?
                 WHERE payment_id = ? AND version < ?
                """, event.totalRefunded().amount(), event.totalRefunded().amount(), version, position(token),
                java.sql.Timestamp.from(at), event.paymentId().value(), version);
    }

    @EventHandler
    void on(PaymentVoidedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.paymentId(), PaymentStatus.VOIDED, version, token, at);
    }

    private void status(PaymentId paymentId, PaymentStatus status, long version, TrackingToken token, Instant at) {
        jdbc.update("""
                UPDATE payments SET status = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE payment_id = ? AND version < ?
                """, status.name(), version, position(token), java.sql.Timestamp.from(at), paymentId.value(), version);
    }

    /** A replay starts from an empty table; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE payments, order_owners");
    }

    @QueryHandler
    PaymentView handle(FindPaymentQuery query, Actor actor) {
        // Another customer's payment, or to a customer one whose owner is not copied yet, answers as unknown.
        List<PaymentView> found = jdbc.query("SELECT " + COLUMNS + ", " + OWNER + " FROM payments WHERE payment_id = ?",
                (rs, row) -> actor.mayAccess(rs.getObject("owner", UUID.class)) ? view(rs, row) : null,
                query.paymentId().value());
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    PaymentPage handle(FindPaymentsQuery query, Actor actor) {
        // A customer lists only their own orders' payments; an actor who sees no business data, none.
        Actor.ListScope scope = actor.listScope(null);
        if (!scope.visible()) {
            return new PaymentPage(List.of(), null);
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM payments WHERE true");
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
            sql.append(" AND payment_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY payment_id LIMIT ?");
        args.add(query.limit() + 1);
        List<PaymentView> rows = jdbc.query(sql.toString(), PaymentProjection::view, args.toArray());
        if (rows.size() <= query.limit()) {
            return new PaymentPage(rows, null);
        }
        List<PaymentView> page = rows.subList(0, query.limit());
        return new PaymentPage(List.copyOf(page), page.get(page.size() - 1).paymentId());
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }

    private static PaymentView view(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        return new PaymentView(new PaymentId(rs.getObject("payment_id", UUID.class)),
                new OrderId(rs.getObject("order_id", UUID.class)),
                new Money(rs.getBigDecimal("amount"), currency),
                PaymentStatus.valueOf(rs.getString("status")),
                new Money(rs.getBigDecimal("refunded"), currency),
                rs.getLong("version"));
    }
}
