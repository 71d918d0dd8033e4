package org.orderly.query.inventory;

import java.time.Instant;
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
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.FindStockQuery;
import org.orderly.api.inventory.StockCommittedEvent;
import org.orderly.api.inventory.StockReceivedEvent;
import org.orderly.api.inventory.StockReleasedEvent;
import org.orderly.api.inventory.StockReservationRejectedEvent;
import org.orderly.api.inventory.StockReservedEvent;
import org.orderly.api.inventory.StockView;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code stock_levels} read model. Events carry quantities moved, not totals, so each one adds its
 * deltas only if the row has not yet seen the event's sequence number: a redelivered or replayed event
 * changes nothing. Events of one product arrive in order (the processor sequences by aggregate), so no
 * delta is skipped, and a receipt always comes first, creating the row the others update.
 */
@Component
@ProcessingGroup(StockLevelProjection.PROCESSING_GROUP)
class StockLevelProjection {

    static final String PROCESSING_GROUP = "stock-levels";

    private final JdbcTemplate jdbc;

    StockLevelProjection(DomainStores stores) {
        this.jdbc = stores.get(InventoryStore.DOMAIN).jdbc();
    }

    /** The only upsert: its row to insert is always valid (PostgreSQL checks it even when it becomes an update). */
    @EventHandler
    void on(StockReceivedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO stock_levels AS s (product_id, on_hand, reserved, version, last_position, updated_at)
                VALUES (?, ?, 0, ?, ?, ?)
                ON CONFLICT (product_id) DO UPDATE
                   SET on_hand = s.on_hand + EXCLUDED.on_hand, version = EXCLUDED.version,
                       last_position = EXCLUDED.last_position, updated_at = EXCLUDED.updated_at
                 WHERE s.version < EXCLUDED.version
                """, event.productId().value(), event.quantity(), version, position(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(StockReservedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        move(event.productId(), 0, event.quantity(), version, token, at);
    }

    /** Changes no quantity, but the item's version moved on, and the ETag follows it. */
    @EventHandler
    void on(StockReservationRejectedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        move(event.productId(), 0, 0, version, token, at);
    }

    @EventHandler
    void on(StockReleasedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        move(event.productId(), 0, -event.quantity(), version, token, at);
    }

    @EventHandler
    void on(StockCommittedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        move(event.productId(), -event.quantity(), -event.quantity(), version, token, at);
    }

    private void move(ProductId productId, int onHand, int reserved, long version, TrackingToken token, Instant at) {
        jdbc.update("""
                UPDATE stock_levels SET on_hand = on_hand + ?, reserved = reserved + ?, version = ?,
                                        last_position = ?, updated_at = ?
                 WHERE product_id = ? AND version < ?
                """, onHand, reserved, version, position(token), java.sql.Timestamp.from(at), productId.value(), version);
    }

    /** A replay starts from an empty table; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE stock_levels");
    }

    @QueryHandler
    StockView handle(FindStockQuery query) {
        List<StockView> found = jdbc.query("""
                SELECT product_id, on_hand, reserved, version FROM stock_levels WHERE product_id = ?
                """, (rs, row) -> {
                    int onHand = rs.getInt("on_hand");
                    int reserved = rs.getInt("reserved");
                    return new StockView(new ProductId(rs.getObject("product_id", UUID.class)), onHand, reserved,
                            onHand - reserved, rs.getLong("version"));
                }, query.productId().value());
        return found.isEmpty() ? null : found.get(0);
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }
}
