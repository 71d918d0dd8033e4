package org.orderly.query.cart;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.cart.AddressUse;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CheckoutAddressChosenEvent;
import org.orderly.api.cart.CheckoutConfirmationRequestedEvent;
import org.orderly.api.cart.CheckoutConfirmedEvent;
import org.orderly.api.cart.CheckoutExpiredEvent;
import org.orderly.api.cart.CheckoutFailedEvent;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CheckoutShippingMethodChosenEvent;
import org.orderly.api.cart.CheckoutStartedEvent;
import org.orderly.api.cart.CheckoutStatus;
import org.orderly.api.cart.CheckoutView;
import org.orderly.api.cart.FindCheckoutQuery;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderId;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code checkouts} read model: each session with its snapshotted lines, its chosen addresses and shipping,
 * its order and, when it failed, why. Every write is guarded by the session's sequence number, so a redelivered
 * or replayed event changes nothing twice.
 * <p>
 * The addresses are personal data: held readable here (as JSON of the address) for the session's customer and
 * staff, and cleared when the customer is erased; an event replayed after the erasure carries them as {@code null}.
 */
@Component
@ProcessingGroup(CheckoutProjection.PROCESSING_GROUP)
class CheckoutProjection {

    static final String PROCESSING_GROUP = "checkouts";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    CheckoutProjection(DomainStores stores) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(CheckoutStartedEvent event, @SequenceNumber long version) {
        int inserted = jdbc.update("""
                INSERT INTO checkouts (checkout_id, cart_id, customer_id, status, items_total_amount,
                                       items_total_currency, expires_at, version)
                VALUES (?, ?, ?, 'OPEN', ?, ?, ?, ?) ON CONFLICT (checkout_id) DO NOTHING
                """, event.checkoutId().value(), event.cartId().value(), event.customerId().value(),
                event.itemsTotal().amount(), event.itemsTotal().currency(), Timestamp.from(event.expiresAt()), version);
        if (inserted == 0) {
            return;
        }
        List<Object[]> lines = new ArrayList<>();
        for (int i = 0; i < event.lines().size(); i++) {
            CartLine line = event.lines().get(i);
            lines.add(new Object[]{event.checkoutId().value(), i, line.productId().value(), line.quantity(),
                    line.unitPrice().amount(), line.unitPrice().currency()});
        }
        jdbc.batchUpdate("""
                INSERT INTO checkout_lines (checkout_id, line_no, product_id, quantity, unit_price_amount,
                                            unit_price_currency)
                VALUES (?, ?, ?, ?, ?, ?)
                """, lines);
    }

    @EventHandler
    void on(CheckoutAddressChosenEvent event, @SequenceNumber long version) {
        String column = event.use() == AddressUse.SHIPPING ? "shipping_address" : "billing_address";
        jdbc.update("UPDATE checkouts SET " + column + " = ?, version = ? WHERE checkout_id = ? AND version < ?",
                json(event.address()), version, event.checkoutId().value(), version);
    }

    @EventHandler
    void on(CheckoutShippingMethodChosenEvent event, @SequenceNumber long version) {
        jdbc.update("""
                UPDATE checkouts SET shipping_method = ?, shipping_cost_amount = ?, shipping_cost_currency = ?,
                       version = ?
                 WHERE checkout_id = ? AND version < ?
                """, event.method(), event.cost().amount(), event.cost().currency(), version,
                event.checkoutId().value(), version);
    }

    @EventHandler
    void on(CheckoutConfirmationRequestedEvent event, @SequenceNumber long version) {
        jdbc.update("""
                UPDATE checkouts SET status = 'CONFIRMING', order_id = ?, version = ?
                 WHERE checkout_id = ? AND version < ?
                """, event.orderId().value(), version, event.checkoutId().value(), version);
    }

    @EventHandler
    void on(CheckoutConfirmedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        ended(event.checkoutId(), CheckoutStatus.CONFIRMED, null, version, at);
    }

    @EventHandler
    void on(CheckoutFailedEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        ended(event.checkoutId(), CheckoutStatus.FAILED, event.reason(), version, at);
    }

    @EventHandler
    void on(CheckoutExpiredEvent event, @SequenceNumber long version, @org.axonframework.eventhandling.Timestamp Instant at) {
        ended(event.checkoutId(), CheckoutStatus.EXPIRED, null, version, at);
    }

    /** The sessions keep their lines and orders; the copies of the customer's addresses go. */
    @EventHandler
    void on(CustomerErasedEvent event) {
        jdbc.update("UPDATE checkouts SET shipping_address = NULL, billing_address = NULL WHERE customer_id = ?",
                event.customerId().value());
    }

    /** The session's end, and when it was: retention removes the abandoned ones a while after it. */
    private void ended(CheckoutId checkoutId, CheckoutStatus status, String reason, long version, Instant at) {
        jdbc.update("""
                UPDATE checkouts SET status = ?, failure_reason = ?, ended_at = ?, version = ?
                 WHERE checkout_id = ? AND version < ?
                """, status.name(), reason, Timestamp.from(at), version, checkoutId.value(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE checkout_lines, checkouts");
    }

    @QueryHandler
    CheckoutView handle(FindCheckoutQuery query, Actor actor) {
        List<Map<String, Object>> found = jdbc.queryForList("SELECT * FROM checkouts WHERE checkout_id = ?",
                query.checkoutId().value());
        if (found.isEmpty()) {
            return null;
        }
        Map<String, Object> row = found.get(0);
        UUID owner = (UUID) row.get("customer_id");
        if (!actor.mayAccess(owner)) {
            return null; // another customer's session answers as one that does not exist
        }
        List<CartLine> lines = jdbc.query("""
                SELECT product_id, quantity, unit_price_amount, unit_price_currency
                  FROM checkout_lines WHERE checkout_id = ? ORDER BY line_no
                """, (rs, n) -> new CartLine(new ProductId(rs.getObject("product_id", UUID.class)),
                rs.getInt("quantity"), new Money(rs.getBigDecimal("unit_price_amount"),
                rs.getString("unit_price_currency"))), query.checkoutId().value());
        Money items = money(row, "items_total");
        Money shipping = money(row, "shipping_cost");
        return new CheckoutView(query.checkoutId(), new CartId((UUID) row.get("cart_id")), new CustomerId(owner),
                CheckoutStatus.valueOf((String) row.get("status")), lines, items,
                address((String) row.get("shipping_address")), address((String) row.get("billing_address")),
                (String) row.get("shipping_method"), shipping, shipping == null ? null : items.plus(shipping),
                row.get("order_id") == null ? null : new OrderId((UUID) row.get("order_id")),
                (String) row.get("failure_reason"), ((Timestamp) row.get("expires_at")).toInstant(),
                ((Number) row.get("version")).longValue());
    }

    private static Money money(Map<String, Object> row, String prefix) {
        Object amount = row.get(prefix + "_amount");
        return amount == null ? null : new Money((java.math.BigDecimal) amount, (String) row.get(prefix + "_currency"));
    }

    private static String json(PostalAddress address) {
        try {
            return address == null ? null : JSON.writeValueAsString(address);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An address that cannot be written as JSON: " + e.getClass().getSimpleName());
        }
    }

    private static PostalAddress address(String json) {
        try {
            return json == null ? null : JSON.readValue(json, PostalAddress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored address that cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
