package org.orderly.query.cart;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.cart.CartCheckedOutEvent;
import org.orderly.api.cart.CartClearedEvent;
import org.orderly.api.cart.CartExpiredEvent;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLineAddedEvent;
import org.orderly.api.cart.CartLineQuantityChangedEvent;
import org.orderly.api.cart.CartLineRemovedEvent;
import org.orderly.api.cart.CartLineView;
import org.orderly.api.cart.CartOpenedEvent;
import org.orderly.api.cart.CartStatus;
import org.orderly.api.cart.CartView;
import org.orderly.api.cart.FindCartQuery;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code carts} read model, with each cart's lines in {@code cart_lines} and every cart ever opened in
 * {@code cart_owners}. Every write to a cart is guarded by the cart's sequence number, so a redelivered or replayed
 * event changes nothing it has already changed.
 * <p>
 * A cart is read with its lines joined to the cart domain's copies of the catalog (current name and price, and
 * whether that price differs from the one the line was added at) and of inventory (whether the line asks for more
 * than is available). Those copies are written by their own processors; a line whose product the copy lacks shows
 * the price it was added at.
 */
@Component
@ProcessingGroup(CartProjection.PROCESSING_GROUP)
class CartProjection {

    static final String PROCESSING_GROUP = "carts";

    private final JdbcTemplate jdbc;

    CartProjection(DomainStores stores) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(CartOpenedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO carts (cart_id, customer_id, status, expires_at, version, updated_at)
                VALUES (?, ?, 'ACTIVE', ?, ?, ?)
                ON CONFLICT (cart_id) DO NOTHING
                """, event.cartId().value(), event.customerId().value(), Timestamp.from(event.expiresAt()), version,
                Timestamp.from(at));
        jdbc.update("INSERT INTO cart_owners (cart_id, customer_id) VALUES (?, ?) ON CONFLICT (cart_id) DO NOTHING",
                event.cartId().value(), event.customerId().value());
    }

    @EventHandler
    void on(CartLineAddedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (touch(event.cartId(), event.expiresAt(), version, at)) {
            jdbc.update("""
                    INSERT INTO cart_lines AS l (cart_id, product_id, quantity, added_price_amount, added_price_currency,
                                                 added_version)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (cart_id, product_id) DO UPDATE
                       SET quantity = l.quantity + EXCLUDED.quantity, added_price_amount = EXCLUDED.added_price_amount,
                           added_price_currency = EXCLUDED.added_price_currency
                    """, event.cartId().value(), event.productId().value(), event.quantity(),
                    event.unitPrice().amount(), event.unitPrice().currency(), version);
        }
    }

    @EventHandler
    void on(CartLineQuantityChangedEvent event, @SequenceNumber long version,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        if (touch(event.cartId(), event.expiresAt(), version, at)) {
            jdbc.update("UPDATE cart_lines SET quantity = ? WHERE cart_id = ? AND product_id = ?", event.quantity(),
                    event.cartId().value(), event.productId().value());
        }
    }

    @EventHandler
    void on(CartLineRemovedEvent event, @SequenceNumber long version,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        if (touch(event.cartId(), event.expiresAt(), version, at)) {
            jdbc.update("DELETE FROM cart_lines WHERE cart_id = ? AND product_id = ?", event.cartId().value(),
                    event.productId().value());
        }
    }

    @EventHandler
    void on(CartClearedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (touch(event.cartId(), event.expiresAt(), version, at)) {
            jdbc.update("DELETE FROM cart_lines WHERE cart_id = ?", event.cartId().value());
        }
    }

    @EventHandler
    void on(CartExpiredEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        status(event.cartId(), CartStatus.EXPIRED, version, at);
    }

    @EventHandler
    void on(CartCheckedOutEvent event, @SequenceNumber long version,
            @org.axonframework.eventhandling.Timestamp Instant at) {
        status(event.cartId(), CartStatus.CHECKED_OUT, version, at);
    }

    /** Moves the cart to this event; false when the event was applied before (its lines then were too). */
    private boolean touch(CartId cartId, Instant expiresAt, long version, Instant at) {
        return jdbc.update("""
                UPDATE carts SET expires_at = ?, version = ?, updated_at = ? WHERE cart_id = ? AND version < ?
                """, Timestamp.from(expiresAt), version, Timestamp.from(at), cartId.value(), version) > 0;
    }

    private void status(CartId cartId, CartStatus status, long version, Instant at) {
        jdbc.update("UPDATE carts SET status = ?, version = ?, updated_at = ? WHERE cart_id = ? AND version < ?",
                status.name(), version, Timestamp.from(at), cartId.value(), version);
    }

    /** A replay starts from empty tables; only this read model's tables are touched, not the copies. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE cart_lines, carts, cart_owners");
    }

    @QueryHandler
    CartView handle(FindCartQuery query, Actor actor) {
        List<Map<String, Object>> carts = jdbc.queryForList("""
                SELECT customer_id, status, expires_at, version FROM carts WHERE cart_id = ?
                """, query.cartId().value());
        if (carts.isEmpty()) {
            return null;
        }
        Map<String, Object> cart = carts.get(0);
        UUID owner = (UUID) cart.get("customer_id");
        if (!actor.mayAccess(owner)) {
            return null; // another customer's cart answers as one that does not exist
        }
        List<CartLineView> lines = jdbc.query("""
                SELECT l.product_id, l.quantity, l.added_price_amount, l.added_price_currency,
                       p.name, p.price_amount, p.price_currency, p.status AS product_status,
                       s.on_hand - s.reserved AS available
                  FROM cart_lines l
                  LEFT JOIN product_copies p ON p.product_id = l.product_id
                  LEFT JOIN stock_copies s ON s.product_id = l.product_id
                 WHERE l.cart_id = ?
                 ORDER BY l.added_version, l.product_id
                """, (rs, row) -> {
            Money added = new Money(rs.getBigDecimal("added_price_amount"), rs.getString("added_price_currency"));
            Money current = rs.getBigDecimal("price_amount") == null ? added
                    : new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency"));
            int quantity = rs.getInt("quantity");
            Integer available = rs.getObject("available") == null ? null : rs.getInt("available");
            int availableUnits = available == null ? 0 : available;
            return new CartLineView(new ProductId(rs.getObject("product_id", UUID.class)), rs.getString("name"),
                    quantity, current, added, !samePrice(current, added), current.times(quantity), available,
                    quantity > availableUnits, "DISCONTINUED".equals(rs.getString("product_status")));
        }, query.cartId().value());
        return new CartView(query.cartId(), new CustomerId(owner), CartStatus.valueOf((String) cart.get("status")),
                lines, total(lines), ((Timestamp) cart.get("expires_at")).toInstant(), ((Number) cart.get("version")).longValue());
    }

    private static boolean samePrice(Money a, Money b) {
        return a.currency().equals(b.currency()) && a.amount().compareTo(b.amount()) == 0;
    }

    /** Lines in more than one currency have no single total. */
    private static Money total(List<CartLineView> lines) {
        Money total = null;
        for (CartLineView line : lines) {
            if (total != null && !total.currency().equals(line.lineTotal().currency())) {
                return null;
            }
            total = total == null ? line.lineTotal() : total.plus(line.lineTotal());
        }
        return total;
    }
}
