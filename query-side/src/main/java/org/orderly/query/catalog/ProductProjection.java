package org.orderly.query.catalog;

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
import org.orderly.api.catalog.FindProductQuery;
import org.orderly.api.catalog.FindProductsQuery;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPage;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.catalog.ProductView;
import org.orderly.api.common.Money;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code products} read model. Every write is guarded by the aggregate's sequence number, so a
 * redelivered or replayed event changes nothing it has already changed.
 */
@Component
@ProcessingGroup(ProductProjection.PROCESSING_GROUP)
class ProductProjection {

    static final String PROCESSING_GROUP = "products";
    private static final String COLUMNS =
            "product_id, sku, name, price_amount, price_currency, weight_grams, status, version";

    private final JdbcTemplate jdbc;

    ProductProjection(DomainStores stores) {
        this.jdbc = stores.get(CatalogStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(ProductAddedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO products (product_id, sku, name, price_amount, price_currency, weight_grams, status,
                                      version, last_position, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
                ON CONFLICT (product_id) DO NOTHING
                """, event.productId().value(), event.sku(), event.name(), event.price().amount(),
                event.price().currency(), event.weightGrams(), version, position(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(ProductPriceChangedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE products SET price_amount = ?, price_currency = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE product_id = ? AND version < ?
                """, event.price().amount(), event.price().currency(), version, position(token),
                java.sql.Timestamp.from(at), event.productId().value(), version);
    }

    @EventHandler
    void on(ProductRenamedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE products SET name = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE product_id = ? AND version < ?
                """, event.name(), version, position(token), java.sql.Timestamp.from(at),
                event.productId().value(), version);
    }

    @EventHandler
    void on(ProductDiscontinuedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE products SET status = 'DISCONTINUED', version = ?, last_position = ?, updated_at = ?
                 WHERE product_id = ? AND version < ?
                """, version, position(token), java.sql.Timestamp.from(at), event.productId().value(), version);
    }

    /** A replay starts from an empty table; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE products");
    }

    @QueryHandler
    ProductView handle(FindProductQuery query) {
        List<ProductView> found = jdbc.query("SELECT " + COLUMNS + " FROM products WHERE product_id = ?",
                ProductProjection::view, query.productId().value());
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    ProductPage handle(FindProductsQuery query) {
        // Only the filters asked for go into the SQL, so each shape can use the (status, product_id) index.
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (query.status() != null) {
            conditions.add("status = ?");
            args.add(query.status().name());
        }
        if (query.after() != null) {
            conditions.add("product_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        args.add(query.limit() + 1);
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        List<ProductView> rows = jdbc.query("SELECT " + COLUMNS + " FROM products" + where
                + " ORDER BY product_id LIMIT ?", ProductProjection::view, args.toArray());
        if (rows.size() <= query.limit()) {
            return new ProductPage(rows, null);
        }
        List<ProductView> page = rows.subList(0, query.limit());
        return new ProductPage(List.copyOf(page), page.get(page.size() - 1).productId());
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }

    private static ProductView view(ResultSet rs, int row) throws SQLException {
        return new ProductView(new ProductId(rs.getObject("product_id", UUID.class)), rs.getString("sku"),
                rs.getString("name"), new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency")),
                rs.getInt("weight_grams"), ProductStatus.valueOf(rs.getString("status")), rs.getLong("version"));
    }
}
