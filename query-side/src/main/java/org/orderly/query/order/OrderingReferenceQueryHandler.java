package org.orderly.query.order;

import java.sql.Array;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers, from the order domain's own copies only, what placing an order needs to know, and how fresh
 * those copies are. Freshness is measured first, so a copy read afterwards is at least that fresh.
 */
@Component
class OrderingReferenceQueryHandler {

    private final JdbcTemplate jdbc;
    private final ProcessorLag lag;

    OrderingReferenceQueryHandler(DomainStores stores, ProcessorLag lag) {
        this.jdbc = stores.get(OrderStore.DOMAIN).jdbc();
        this.lag = lag;
    }

    @QueryHandler
    OrderingReference handle(FindOrderingReferenceQuery query) {
        CopyFreshness customerFreshness = freshness(lag.of(CustomerCopyProjection.PROCESSING_GROUP));
        CopyFreshness productFreshness = freshness(lag.of(ProductCopyProjection.PROCESSING_GROUP));

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

    private static CopyFreshness freshness(Lag lag) {
        return new CopyFreshness(lag.events(), lag.behind() == null ? null : lag.behind().toMillis());
    }
}
