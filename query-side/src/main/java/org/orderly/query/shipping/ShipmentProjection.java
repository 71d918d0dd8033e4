package org.orderly.query.shipping;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.shipping.FindShipmentQuery;
import org.orderly.api.shipping.FindShipmentsQuery;
import org.orderly.api.shipping.ShipmentCreatedEvent;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShipmentPage;
import org.orderly.api.shipping.ShipmentStatus;
import org.orderly.api.shipping.ShipmentView;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code shipments} read model, with each shipment's items in {@code shipment_items}. Every write
 * is guarded by the aggregate's sequence number, so a redelivered or replayed event changes nothing it
 * has already changed. Beside them, {@code order_owners}: who placed each order, which is all that ties a
 * shipment to a customer, so that a customer sees only their own.
 */
@Component
@ProcessingGroup(ShipmentProjection.PROCESSING_GROUP)
class ShipmentProjection {

    static final String PROCESSING_GROUP = "shipments";

    /** The customer who placed the shipment's order, or {@code null} while its OrderPlacedEvent is not copied. */
    private static final String OWNER =
            "(SELECT o.customer_id FROM order_owners o WHERE o.order_id = shipments.order_id) AS owner";
    /** Only the shipments of orders that the customer given as argument placed. */
    private static final String OWNED_BY =
            "order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final ProjectionWrites writes;

    ShipmentProjection(DomainStores stores) {
        this.jdbc = stores.get(ShippingStore.DOMAIN).jdbc();
        this.namedJdbc = stores.get(ShippingStore.DOMAIN).namedJdbc();
        this.writes = stores.get(ShippingStore.DOMAIN).writes();
    }

    /** Published by the order domain: who placed the order, the only owner a shipment has. */
    @EventHandler
    void on(OrderPlacedEvent event) {
        writes.update(event.orderId(), """
                INSERT INTO order_owners (order_id, customer_id) VALUES (?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, event.orderId().value(), event.customerId().value());
    }

    @EventHandler
    void on(ShipmentCreatedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        int inserted = jdbc.update("""
                INSERT INTO shipments (shipment_id, order_id, status, version, last_position, updated_at)
                VALUES (?, ?, 'CREATED', ?, ?, ?)
                ON CONFLICT (shipment_id) DO NOTHING
                """, event.shipmentId().value(), event.orderId().value(), version, position(token),
                java.sql.Timestamp.from(at));
        if (inserted == 0) {
            return; // applied before, items included: they commit in the same transaction as the row
        }
        List<Object[]> items = new ArrayList<>();
        for (int i = 0; i < event.items().size(); i++) {
            ShipmentItem item = event.items().get(i);
            items.add(new Object[] {event.shipmentId().value(), i, item.productId().value(), item.quantity(),
                    item.weightGrams()});
        }
        jdbc.batchUpdate("""
                INSERT INTO shipment_items (shipment_id, line_no, product_id, quantity, weight_grams)
                VALUES (?, ?, ?, ?, ?)
                """, items);
    }

    @EventHandler
    void on(ShipmentDispatchedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.shipmentId(), ShipmentStatus.DISPATCHED, version, token, at);
    }

    @EventHandler
    void on(ShipmentDeliveredEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        status(event.shipmentId(), ShipmentStatus.DELIVERED, version, token, at);
    }

    private void status(ShipmentId shipmentId, ShipmentStatus status, long version, TrackingToken token, Instant at) {
        jdbc.update("""
                UPDATE shipments SET status = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE shipment_id = ? AND version < ?
                """, status.name(), version, position(token), java.sql.Timestamp.from(at), shipmentId.value(),
                version);
    }

    /** A replay starts from empty tables; only this read model's tables are touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE shipment_items, shipments, order_owners");
    }

    @QueryHandler
    ShipmentView handle(FindShipmentQuery query, Actor actor) {
        // Another customer's shipment, or to a customer one whose owner is not copied yet, answers as unknown.
        List<Row> found = jdbc.query("SELECT shipment_id, order_id, status, version, " + OWNER
                        + " FROM shipments WHERE shipment_id = ?",
                (rs, row) -> actor.mayAccess(rs.getObject("owner", UUID.class)) ? row(rs, row) : null,
                query.shipmentId().value());
        return found.isEmpty() || found.get(0) == null ? null : withItems(found).get(0);
    }

    @QueryHandler
    ShipmentPage handle(FindShipmentsQuery query, Actor actor) {
        // A customer lists only their own orders' shipments; an actor who sees no business data, none.
        Actor.ListScope scope = actor.listScope(null);
        if (!scope.visible()) {
            return new ShipmentPage(List.of(), null);
        }
        StringBuilder sql = new StringBuilder("SELECT shipment_id, order_id, status, version FROM shipments WHERE true");
        List<Object> args = new ArrayList<>();
        if (scope.customer() != null) {
            sql.append(" AND ").append(OWNED_BY);
            args.add(scope.customer());
        }
        if (query.orderId() != null) {
            sql.append(" AND order_id = ?");
            args.add(query.orderId().value());
        }
        if (query.after() != null) {
            sql.append(" AND shipment_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY shipment_id LIMIT ?");
        args.add(query.limit() + 1);
        List<Row> rows = jdbc.query(sql.toString(), ShipmentProjection::row, args.toArray());
        if (rows.size() <= query.limit()) {
            return new ShipmentPage(withItems(rows), null);
        }
        List<ShipmentView> page = withItems(rows.subList(0, query.limit()));
        return new ShipmentPage(page, page.get(page.size() - 1).shipmentId());
    }

    /** The items of all the given shipments in one query, in line order. */
    private List<ShipmentView> withItems(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<ShipmentItem>> items = new LinkedHashMap<>();
        rows.forEach(r -> items.put(r.shipmentId(), new ArrayList<>()));
        namedJdbc.query("""
                SELECT shipment_id, product_id, quantity, weight_grams FROM shipment_items
                 WHERE shipment_id IN (:ids) ORDER BY shipment_id, line_no
                """, Map.of("ids", List.copyOf(items.keySet())), rs -> {
            items.get(rs.getObject("shipment_id", UUID.class)).add(new ShipmentItem(
                    new ProductId(rs.getObject("product_id", UUID.class)), rs.getInt("quantity"),
                    rs.getInt("weight_grams")));
        });
        return rows.stream().map(r -> new ShipmentView(new ShipmentId(r.shipmentId()), new OrderId(r.orderId()),
                r.status(), List.copyOf(items.get(r.shipmentId())), r.version())).toList();
    }

    private record Row(UUID shipmentId, UUID orderId, ShipmentStatus status, long version) {
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getObject("shipment_id", UUID.class), rs.getObject("order_id", UUID.class),
                ShipmentStatus.valueOf(rs.getString("status")), rs.getLong("version"));
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }
}
