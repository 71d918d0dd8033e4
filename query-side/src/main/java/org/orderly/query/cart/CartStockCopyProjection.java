package org.orderly.query.cart;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.StockCommittedEvent;
import org.orderly.api.inventory.StockReceivedEvent;
import org.orderly.api.inventory.StockReleasedEvent;
import org.orderly.api.inventory.StockReservedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The cart domain's copy of inventory: units on hand and reserved per product, against which a cart line asking for
 * more than is available is flagged (never refused: stock is decided when the order is placed). Every update is
 * guarded by the inventory item's sequence number.
 */
@Component
@ProcessingGroup(CartStockCopyProjection.PROCESSING_GROUP)
class CartStockCopyProjection {

    static final String PROCESSING_GROUP = "cart-stock-copies";

    private final JdbcTemplate jdbc;

    CartStockCopyProjection(DomainStores stores) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(StockReceivedEvent event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                INSERT INTO stock_copies AS s (product_id, on_hand, reserved, last_position, version)
                VALUES (?, ?, 0, ?, ?)
                ON CONFLICT (product_id) DO UPDATE
                   SET on_hand = s.on_hand + EXCLUDED.on_hand, last_position = EXCLUDED.last_position,
                       version = EXCLUDED.version
                 WHERE s.version < EXCLUDED.version
                """, event.productId().value(), event.quantity(), TokenPositions.of(token), version);
    }

    @EventHandler
    void on(StockReservedEvent event, @SequenceNumber long version, TrackingToken token) {
        move(event.productId(), 0, event.quantity(), version, token);
    }

    @EventHandler
    void on(StockReleasedEvent event, @SequenceNumber long version, TrackingToken token) {
        move(event.productId(), 0, -event.quantity(), version, token);
    }

    @EventHandler
    void on(StockCommittedEvent event, @SequenceNumber long version, TrackingToken token) {
        move(event.productId(), -event.quantity(), -event.quantity(), version, token);
    }

    private void move(ProductId productId, int onHand, int reserved, long version, TrackingToken token) {
        jdbc.update("""
                UPDATE stock_copies SET on_hand = on_hand + ?, reserved = reserved + ?, last_position = ?, version = ?
                 WHERE product_id = ? AND version < ?
                """, onHand, reserved, TokenPositions.of(token), version, productId.value(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE stock_copies");
    }
}
