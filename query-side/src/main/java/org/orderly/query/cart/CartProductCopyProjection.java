package org.orderly.query.cart;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The cart domain's copy of the catalog: each product's name, current price and status, which a cart shows on its
 * lines and which adding a product is decided on. Every update is guarded by the product's sequence number.
 */
@Component
@ProcessingGroup(CartProductCopyProjection.PROCESSING_GROUP)
class CartProductCopyProjection {

    static final String PROCESSING_GROUP = "cart-product-copies";

    private final JdbcTemplate jdbc;

    CartProductCopyProjection(DomainStores stores) {
        this.jdbc = stores.get(CartStore.DOMAIN).jdbc();
    }

    @EventHandler
    void on(ProductAddedEvent event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                INSERT INTO product_copies (product_id, name, price_amount, price_currency, status, last_position,
                                            version)
                VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)
                ON CONFLICT (product_id) DO NOTHING
                """, event.productId().value(), event.name(), event.price().amount(), event.price().currency(),
                TokenPositions.of(token), version);
    }

    @EventHandler
    void on(ProductPriceChangedEvent event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                UPDATE product_copies SET price_amount = ?, price_currency = ?, last_position = ?, version = ?
                 WHERE product_id = ? AND version < ?
                """, event.price().amount(), event.price().currency(), TokenPositions.of(token), version,
                event.productId().value(), version);
    }

    @EventHandler
    void on(ProductRenamedEvent event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("UPDATE product_copies SET name = ?, last_position = ?, version = ? WHERE product_id = ? AND version < ?",
                event.name(), TokenPositions.of(token), version, event.productId().value(), version);
    }

    @EventHandler
    void on(ProductDiscontinuedEvent event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                UPDATE product_copies SET status = 'DISCONTINUED', last_position = ?, version = ?
                 WHERE product_id = ? AND version < ?
                """, TokenPositions.of(token), version, event.productId().value(), version);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE product_copies");
    }
}
