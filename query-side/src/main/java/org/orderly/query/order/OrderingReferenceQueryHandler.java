package org.orderly.query.order;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.api.order.FindOrderingReferenceQuery;
import org.orderly.api.order.OrderingReference;
import org.orderly.api.order.OrderingReference.CopyFreshness;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.Lag;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers, from the order domain's own copies only, what placing an order needs to know, and how fresh
 * those copies are.
 *
 * <p>Freshness is relative to the head of the event store when the question arrives: every command
 * acknowledged before it (a customer's registration, a price change) is at or below that head. The
 * handler waits up to {@code orderly.orders.copy-wait} for both copies to reach that head before it
 * reads them, so an order is checked against data at least as new as the order itself, and "missing"
 * means "does not exist" rather than "not copied yet". Copies that cannot catch up in time are
 * reported as behind, and the order is refused.
 */
@Component
@EnableConfigurationProperties(OrderingReferenceQueryHandler.Settings.class)
class OrderingReferenceQueryHandler {

    /** @param copyWait how long a question waits for the copies to catch up with the moment it was asked */
    @ConfigurationProperties("orderly.orders")
    record Settings(@DefaultValue("PT2S") Duration copyWait) {
    }

    private static final Duration POLL = Duration.ofMillis(10);

    private final JdbcTemplate jdbc;
    private final ProcessorLag lag;
    private final Duration copyWait;

    OrderingReferenceQueryHandler(DomainStores stores, ProcessorLag lag, Settings settings) {
        this.jdbc = stores.get(OrderStore.DOMAIN).jdbc();
        this.lag = lag;
        this.copyWait = settings.copyWait();
    }

    @QueryHandler
    OrderingReference handle(FindOrderingReferenceQuery query) throws InterruptedException {
        Lag customers = lag.of(CustomerCopyProjection.PROCESSING_GROUP);
        Lag products = lag.of(ProductCopyProjection.PROCESSING_GROUP);
        long head = Math.max(customers.head(), products.head());
        long deadline = System.nanoTime() + copyWait.toNanos();
        while ((customers.position() < head || products.position() < head) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            customers = lag.of(CustomerCopyProjection.PROCESSING_GROUP);
            products = lag.of(ProductCopyProjection.PROCESSING_GROUP);
        }
        return read(query, customers, products, head);
    }

    private OrderingReference read(FindOrderingReferenceQuery query, Lag customerLag, Lag productLag, long head) {
        CopyFreshness customerFreshness = freshness(customerLag, head);
        CopyFreshness productFreshness = freshness(productLag, head);

        List<OrderingReference.CustomerCopy> customers = jdbc.query("""
                SELECT customer_id, email, status, credit_limit_amount, credit_limit_currency, last_position
                  FROM customer_copies WHERE customer_id = ?
                """, (rs, row) -> new OrderingReference.CustomerCopy(
                new CustomerId(rs.getObject("customer_id", UUID.class)), rs.getString("email"),
                CustomerStatus.valueOf(rs.getString("status")),
                rs.getBigDecimal("credit_limit_amount") == null ? null
                        : new Money(rs.getBigDecimal("credit_limit_amount"), rs.getString("credit_limit_currency")),
                rs.getLong("last_position")), query.customerId().value());

        List<OrderingReference.ProductCopy> products = new ArrayList<>();
        jdbc.execute((java.sql.Connection connection) -> {
            Array ids = connection.createArrayOf("uuid", query.productIds().stream().map(ProductId::value).toArray());
            try (var statement = connection.prepareStatement("""
                    SELECT product_id, name, price_amount, price_currency, status, last_position
                      FROM product_copies WHERE product_id = ANY (?)
                    """)) {
                statement.setArray(1, ids);
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        products.add(new OrderingReference.ProductCopy(
                                new ProductId(rs.getObject("product_id", UUID.class)), rs.getString("name"),
                                new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency")),
                                ProductStatus.valueOf(rs.getString("status")), rs.getLong("last_position")));
                    }
                }
            }
            return null;
        });
        return new OrderingReference(customers.isEmpty() ? null : customers.get(0), products,
                customerFreshness, productFreshness);
    }

    /** Events behind the head the question arrived at, and how long the oldest unhandled event has waited. */
    private static CopyFreshness freshness(Lag lag, long head) {
        return new CopyFreshness(Math.max(0, head - lag.position()), lag.behind() == null ? null : lag.behind().toMillis());
    }
}
