package org.orderly.command.returns;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.returns.ReturnableOrder;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionCommits;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the returns domain's copy of an order, which a return request is decided on: the order's customer, status,
 * delivery time and lines with their snapshotted prices, and the units approved returns already claim.
 * <p>
 * The copy lives in the returns domain's schema, {@code returns}, kept by the query side's
 * {@code return-order-copies} processor (in this process or another one); the command side reads it there through
 * the returns domain's own role ({@link DomainStoreReader}). Before reading, it waits (up to
 * {@code orderly.return-copies.max-wait}) until that processor has reached the head of the event store as it was
 * when asked: an order delivered, or a return approved, before the request is then in the copy.
 */
@Component
@EnableConfigurationProperties(JdbcReturnableOrders.Settings.class)
class JdbcReturnableOrders {

    static final String DOMAIN = "returns";
    static final String ORDER_COPIES = "return-order-copies";

    /**
     * {@code orderly.return-copies.*}: how a return request reads the returns domain's copy of orders.
     *
     * @param maxWait how long a return request waits for the order copy to catch up
     */
    @ConfigurationProperties("orderly.return-copies")
    record Settings(@DefaultValue("PT2S") Duration maxWait) {
    }

    /** The returns domain's schema, read here; its store and the copy's processor are declared by the query side. */
    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader returnOrderCopiesReader() {
            return DomainStoreReader.of(DOMAIN, ORDER_COPIES);
        }
    }

    private final JdbcTemplate jdbc;
    private final ProjectionCommits commits;
    private final ProcessorLag lag;
    private final Duration copyWait;

    JdbcReturnableOrders(DomainStores stores, ProcessorLag lag, Settings settings) {
        this.jdbc = stores.get(DOMAIN).jdbc();
        this.commits = stores.commits();
        this.lag = lag;
        this.copyWait = settings.maxWait();
    }

    /** The copy of the order, with {@link ReturnableOrder#upToDate()} false when it did not catch up in time. */
    ReturnableOrder find(OrderId orderId) {
        long head = lag.head();
        // looked at again whenever the copy processor commits, on whichever node runs it (ProjectionCommits)
        boolean upToDate = commits.awaitUntil(List.of(ORDER_COPIES), copyWait,
                () -> lag.of(ORDER_COPIES).position() >= head);
        UUID id = orderId.value();
        List<Object[]> order = jdbc.query(
                "SELECT customer_id, status, delivered_at FROM order_copies WHERE order_id = ?",
                (rs, row) -> new Object[] {rs.getObject("customer_id", UUID.class), rs.getString("status"),
                        rs.getTimestamp("delivered_at")}, id);
        if (order.isEmpty()) {
            return new ReturnableOrder(orderId, null, null, null, List.of(), upToDate);
        }
        List<ReturnableOrder.Line> lines = jdbc.query("""
                SELECT l.product_id, l.quantity, l.unit_price_amount, l.unit_price_currency,
                       COALESCE((SELECT sum(c.quantity) FROM return_claims c
                                  WHERE c.order_id = l.order_id AND c.product_id = l.product_id), 0) AS returned
                  FROM order_copy_lines l WHERE l.order_id = ? ORDER BY l.product_id
                """, (rs, row) -> new ReturnableOrder.Line(new ProductId(rs.getObject("product_id", UUID.class)),
                rs.getInt("quantity"), rs.getInt("returned"),
                new Money(rs.getBigDecimal("unit_price_amount"), rs.getString("unit_price_currency"))), id);
        UUID customerId = (UUID) order.get(0)[0];
        Timestamp deliveredAt = (Timestamp) order.get(0)[2];
        return new ReturnableOrder(orderId, customerId == null ? null : new CustomerId(customerId),
                OrderStatus.valueOf((String) order.get(0)[1]), deliveredAt == null ? null : deliveredAt.toInstant(),
                lines, upToDate);
    }
}
