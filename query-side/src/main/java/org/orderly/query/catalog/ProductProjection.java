package org.orderly.query.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.AttributeFilter;
import org.orderly.api.catalog.AttributeType;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.FindProductQuery;
import org.orderly.api.catalog.ProductAttribute;
import org.orderly.api.catalog.ProductAttributesSetEvent;
import org.orderly.api.catalog.ProductCategorizedEvent;
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
            "product_id, sku, name, price_amount, price_currency, weight_grams, status, version, category_id";

    private static final BigDecimal NUMBER_LIMIT = new BigDecimal("1000000000000000");

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

    @EventHandler
    void on(ProductCategorizedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE products SET category_id = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE product_id = ? AND version < ?
                """, event.categoryId().value(), version, position(token), java.sql.Timestamp.from(at),
                event.productId().value(), version);
    }

    @EventHandler
    void on(ProductAttributesSetEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        int applied = jdbc.update("""
                UPDATE products SET version = ?, last_position = ?, updated_at = ? WHERE product_id = ? AND version < ?
                """, version, position(token), java.sql.Timestamp.from(at), event.productId().value(), version);
        // The version guard above decides for the attributes too: they are replaced once, with the product's row.
        if (applied == 0) {
            return;
        }
        jdbc.update("DELETE FROM product_attributes WHERE product_id = ?", event.productId().value());
        jdbc.batchUpdate("""
                INSERT INTO product_attributes (product_id, name, type, value, number_value) VALUES (?, ?, ?, ?, ?)
                """, event.attributes().stream().map(a -> new Object[] {event.productId().value(), a.name(),
                a.type().name(), a.value(), a.type() == AttributeType.NUMBER ? new BigDecimal(a.value()) : null})
                .toList());
    }

    /** A replay starts from empty tables; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE products, product_attributes");
    }

    @QueryHandler
    ProductView handle(FindProductQuery query) {
        List<ProductView> found = jdbc.query("SELECT " + COLUMNS + " FROM products WHERE product_id = ?",
                ProductProjection::view, query.productId().value());
        return found.isEmpty() ? null : withAttributes(found).get(0);
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
        if (query.category() != null) {
            // The category and everything under it: a range of the categories' path index (see V2's comment).
            List<String> paths = jdbc.queryForList("SELECT path FROM categories WHERE category_id = ?", String.class,
                    query.category().value());
            if (paths.isEmpty()) {
                return new ProductPage(List.of(), null);
            }
            conditions.add("category_id IN (SELECT category_id FROM categories WHERE path >= ? AND path < ?)");
            args.add(paths.get(0));
            args.add(CategoryProjection.pathsAfter(paths.get(0)));
        }
        for (AttributeFilter filter : query.attributes() == null ? List.<AttributeFilter>of() : query.attributes()) {
            StringBuilder exists = new StringBuilder(
                    "EXISTS (SELECT 1 FROM product_attributes a WHERE a.product_id = products.product_id AND a.name = ?");
            args.add(filter.name());
            if (filter.equalTo() != null) {
                // Equal as text, as a boolean whatever its case, or as a number whatever its trailing zeros.
                exists.append(" AND (a.value = ? OR (a.type = 'BOOLEAN' AND a.value = ?) OR a.number_value = ?)");
                args.add(filter.equalTo());
                args.add(filter.equalTo().toLowerCase(Locale.ROOT));
                args.add(number(filter.equalTo()));
            }
            if (filter.min() != null) {
                exists.append(" AND a.number_value >= ?");
                args.add(filter.min());
            }
            if (filter.max() != null) {
                exists.append(" AND a.number_value <= ?");
                args.add(filter.max());
            }
            conditions.add(exists.append(')').toString());
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
            return new ProductPage(withAttributes(rows), null);
        }
        List<ProductView> page = rows.subList(0, query.limit());
        return new ProductPage(withAttributes(page), page.get(page.size() - 1).productId());
    }

    /** The products with their attributes, read for the whole page in one statement. */
    private List<ProductView> withAttributes(List<ProductView> products) {
        if (products.isEmpty()) {
            return List.of();
        }
        Map<java.util.UUID, List<ProductAttribute>> attributes = new LinkedHashMap<>();
        products.forEach(p -> attributes.put(p.productId().value(), new ArrayList<>()));
        String marks = String.join(", ", Collections.nCopies(products.size(), "?"));
        jdbc.query("SELECT product_id, name, type, value FROM product_attributes WHERE product_id IN (" + marks
                + ") ORDER BY name", rs -> {
                    attributes.get(rs.getObject("product_id", java.util.UUID.class)).add(new ProductAttribute(
                            rs.getString("name"), AttributeType.valueOf(rs.getString("type")), rs.getString("value")));
                }, products.stream().map(p -> (Object) p.productId().value()).toArray());
        return products.stream().map(p -> new ProductView(p.productId(), p.sku(), p.name(), p.price(), p.weightGrams(),
                p.status(), p.version(), p.categoryId(), List.copyOf(attributes.get(p.productId().value())))).toList();
    }

    private static BigDecimal number(String text) {
        try {
            BigDecimal number = new BigDecimal(text.strip());
            // Beyond what a NUMBER attribute may hold (below 10^15, 6 decimals) nothing equals it, and no huge
            // exponent reaches the database.
            if (number.abs().compareTo(NUMBER_LIMIT) >= 0 || number.stripTrailingZeros().scale() > 6) {
                return null;
            }
            return number;
        } catch (NumberFormatException e) {
            return null;
        }
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
                rs.getInt("weight_grams"), ProductStatus.valueOf(rs.getString("status")), rs.getLong("version"),
                rs.getObject("category_id") == null ? null : new CategoryId(rs.getObject("category_id", UUID.class)),
                List.of());
    }
}
