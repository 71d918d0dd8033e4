package org.orderly.command.cart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CartStatus;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionCommits;
import org.orderly.config.processing.AggregatePositions;
import org.orderly.config.processing.Lag;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads what cart commands decide on from the cart domain's own schema, {@code cart}: its copy of the catalog
 * (kept by the query side's {@code cart-product-copies} processor) and its carts (kept by {@code carts}). The
 * command side reads them through the cart domain's own role ({@link DomainStoreReader}), as the order domain reads
 * its copies (ADR 0011).
 * <p>
 * The same freshness rule as an order placement's: before answering about a product, it waits (up to
 * {@code orderly.cart.max-copy-wait}) until the copy has applied the product's latest stored event, read from the
 * event store's aggregate index (or, where events live in Axon Server, until the processor reached the head as it
 * was when asked); a copy still behind then, or a processor that left an event waiting longer than
 * {@code orderly.cart.max-copy-lag}, is a 503. A product missing from an up-to-date copy does not exist.
 * <p>
 * {@link #currentContents} is what a checkout starts from: a cart's lines and the total at the prices they were
 * added at.
 */
@Component
class JdbcCartCopies {

    static final String DOMAIN = "cart";
    static final String CARTS = "carts";
    static final String PRODUCT_COPIES = "cart-product-copies";
    static final String STOCK_COPIES = "cart-stock-copies";

    /** The cart domain's schema, read here; its store and processors are declared by the query side. */
    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader cartCopiesReader() {
            return DomainStoreReader.of(DOMAIN, CARTS, PRODUCT_COPIES, STOCK_COPIES);
        }
    }

    /** A product as the cart domain's copy of the catalog shows it. */
    record ProductCopy(ProductId productId, String name, Money price, ProductStatus status, long lastPosition) {
    }

    /** A cart's lines, at the prices they were added at, and their total ({@code null} when empty). */
    record CartContents(CartId cartId, CustomerId customerId, CartStatus status, List<CartLine> lines, Money total) {
    }

    private static final Duration FRESHNESS_MAX_AGE = Duration.ofMillis(200);
    private static final List<Class<?>> COPIED_EVENTS = List.of(ProductAddedEvent.class,
            ProductPriceChangedEvent.class, ProductRenamedEvent.class, ProductDiscontinuedEvent.class);

    private final JdbcTemplate jdbc;
    private final ProjectionCommits commits;
    private final ProcessorLag lag;
    private final Optional<AggregatePositions> positions;
    private final CartProperties settings;

    JdbcCartCopies(DomainStores stores, ProcessorLag lag, ObjectProvider<AggregatePositions> positions,
                   CartProperties settings) {
        this.jdbc = stores.get(DOMAIN).jdbc();
        this.commits = stores.commits();
        this.lag = lag;
        this.positions = Optional.ofNullable(positions.getIfAvailable());
        this.settings = settings;
    }

    /**
     * The product as the up-to-date copy shows it, or empty when it does not exist.
     *
     * @throws RefusedException UNAVAILABLE (503) while the copy is not up to date
     */
    Optional<ProductCopy> product(ProductId productId) {
        long head = positions.isPresent() ? -1 : lag.head();
        List<Optional<ProductCopy>> copy = new ArrayList<>(List.of(Optional.empty()));
        // Looked at again whenever the copy processor commits, on whichever node runs it (ProjectionCommits).
        boolean upToDate = commits.awaitUntil(List.of(PRODUCT_COPIES), settings.maxCopyWait(), () -> {
            copy.set(0, readProduct(productId));
            return positions.isPresent()
                    ? covers(positions.get().latest(List.of(productId.toString()), COPIED_EVENTS)
                            .get(productId.toString()), copy.get(0).map(ProductCopy::lastPosition).orElse(null))
                    : lag.of(PRODUCT_COPIES).position() >= head;
        });
        if (!upToDate) {
            throw unavailable("The cart domain has not yet copied the latest changes to this product; retry shortly");
        }
        requireFresh(lag.recent(PRODUCT_COPIES, FRESHNESS_MAX_AGE));
        return copy.get(0);
    }

    /**
     * The customer's ACTIVE cart and how many carts they have opened, once the carts processor has reached the head
     * of the event store as it was when asked.
     *
     * @throws RefusedException UNAVAILABLE (503) when it does not catch up in time
     */
    CustomerCarts carts(CustomerId customerId) {
        awaitCarts();
        // One statement, so one snapshot: read apart, a cart the carts processor records in between would count as
        // opened but not as active, and the customer would get a second active cart.
        return jdbc.queryForObject("""
                SELECT (SELECT cart_id FROM carts WHERE customer_id = ? AND status = 'ACTIVE' LIMIT 1) AS active,
                       (SELECT count(*) FROM cart_owners WHERE customer_id = ?) AS opened
                """, (rs, row) -> {
            UUID active = rs.getObject("active", UUID.class);
            return new CustomerCarts(active == null ? Optional.empty() : Optional.of(new CartId(active)),
                    rs.getLong("opened"));
        }, customerId.value(), customerId.value());
    }

    /** @param opened how many carts the customer has opened, ever: the ordinal of their next one */
    record CustomerCarts(Optional<CartId> active, long opened) {
    }

    /**
     * The cart's lines once the carts processor has reached the head of the event store as it was when asked: what
     * a checkout snapshots, including the line the customer added a moment ago. Each line is priced as the cart shows
     * it, at the product's current price in the cart domain's copy of the catalog (the price it was added at when
     * the copy lacks the product).
     *
     * @throws RefusedException UNAVAILABLE (503) when it does not catch up in time
     */
    Optional<CartContents> currentContents(CartId cartId) {
        awaitCarts();
        return contents(cartId, true);
    }

    /** The cart's lines as the carts processor has recorded them; empty when it has no such cart. */
    Optional<CartContents> contents(CartId cartId) {
        return contents(cartId, false);
    }

    /** @param currentPrices whether the lines carry the products' current prices, or the prices they were added at */
    private Optional<CartContents> contents(CartId cartId, boolean currentPrices) {
        List<Map<String, Object>> cart = jdbc.queryForList("SELECT customer_id, status FROM carts WHERE cart_id = ?",
                cartId.value());
        if (cart.isEmpty()) {
            return Optional.empty();
        }
        String price = currentPrices ? "COALESCE(p.price_amount, l.added_price_amount)" : "l.added_price_amount";
        String currency = currentPrices ? "COALESCE(p.price_currency, l.added_price_currency)" : "l.added_price_currency";
        List<CartLine> lines = jdbc.query("""
                SELECT l.product_id, l.quantity, %s AS price_amount, %s AS price_currency
                  FROM cart_lines l LEFT JOIN product_copies p ON p.product_id = l.product_id
                 WHERE l.cart_id = ? ORDER BY l.added_version, l.product_id
                """.formatted(price, currency), (rs, row) -> new CartLine(
                new ProductId(rs.getObject("product_id", UUID.class)), rs.getInt("quantity"),
                new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency"))), cartId.value());
        Money total = null;
        for (CartLine line : lines) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        return Optional.of(new CartContents(cartId, new CustomerId((UUID) cart.get(0).get("customer_id")),
                CartStatus.valueOf((String) cart.get(0).get("status")), lines, total));
    }

    /**
     * Waits until the carts processor has reached the head of the event store as it was when asked, looking again
     * whenever it commits, on whichever node runs it ({@code ProjectionCommits}).
     *
     * @throws RefusedException UNAVAILABLE (503) when it does not catch up in time
     */
    private void awaitCarts() {
        long head = lag.head();
        if (!commits.awaitUntil(List.of(CARTS), settings.maxCopyWait(), () -> lag.of(CARTS).position() >= head)) {
            throw unavailable("The cart domain has not yet recorded the latest changes to carts; retry shortly");
        }
    }

    private Optional<ProductCopy> readProduct(ProductId productId) {
        List<ProductCopy> found = jdbc.query("""
                SELECT name, price_amount, price_currency, status, last_position
                  FROM product_copies WHERE product_id = ?
                """, (rs, row) -> new ProductCopy(productId, rs.getString("name"),
                new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency")),
                ProductStatus.valueOf(rs.getString("status")), rs.getLong("last_position")), productId.value());
        return found.stream().findFirst();
    }

    private void requireFresh(Lag copyLag) {
        if (copyLag.behind() != null && copyLag.behind().compareTo(settings.maxCopyLag()) > 0) {
            throw unavailable("The cart domain's product data is " + copyLag.events() + " events behind ("
                    + copyLag.behind().toMillis() + " ms); retry shortly");
        }
    }

    private static boolean covers(Long latestEvent, Long copiedPosition) {
        return latestEvent == null || (copiedPosition != null && copiedPosition >= latestEvent);
    }

    private static RefusedException unavailable(String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null, message));
    }
}
