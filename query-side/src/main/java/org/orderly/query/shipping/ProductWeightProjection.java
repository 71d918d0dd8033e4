package org.orderly.query.shipping;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.shipping.FindShippingWeightsQuery;
import org.orderly.api.shipping.ProductWeight;
import org.orderly.api.shipping.ShippingWeights;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The shipping domain's copy of product weights, so that creating a shipment never asks the catalog.
 * A write applies only an event at a later global position than the one the row holds: redelivery and
 * replay change nothing, and an older event never overwrites a newer one.
 */
@Component
@ProcessingGroup(ProductWeightProjection.PROCESSING_GROUP)
class ProductWeightProjection {

    static final String PROCESSING_GROUP = "shipping-product-weights";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;

    ProductWeightProjection(DomainStores stores) {
        this.jdbc = stores.get(ShippingStore.DOMAIN).jdbc();
        this.namedJdbc = stores.get(ShippingStore.DOMAIN).namedJdbc();
    }

    @EventHandler
    void on(ProductAddedEvent event, TrackingToken token, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO product_weights (product_id, weight_grams, last_position, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (product_id) DO UPDATE
                   SET weight_grams = EXCLUDED.weight_grams, last_position = EXCLUDED.last_position,
                       updated_at = EXCLUDED.updated_at
                 WHERE product_weights.last_position < EXCLUDED.last_position
                """, event.productId().value(), event.weightGrams(), position(token), java.sql.Timestamp.from(at));
    }

    /** A replay starts from an empty table; only this read model's table is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE product_weights");
    }

    @QueryHandler
    ShippingWeights handle(FindShippingWeightsQuery query) {
        if (query.productIds() == null || query.productIds().isEmpty()) {
            return new ShippingWeights(List.of());
        }
        List<UUID> ids = query.productIds().stream().filter(Objects::nonNull).map(ProductId::value).distinct().toList();
        return new ShippingWeights(namedJdbc.query(
                "SELECT product_id, weight_grams FROM product_weights WHERE product_id IN (:ids)",
                Map.of("ids", ids),
                (rs, row) -> new ProductWeight(new ProductId(rs.getObject("product_id", UUID.class)),
                        rs.getInt("weight_grams"))));
    }

    /** Every event a streaming processor hands over has a global position; without one, ordering is lost. */
    private static long position(TrackingToken token) {
        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
        if (position.isEmpty()) {
            throw new IllegalStateException("A product weight needs the event's global position; token: " + token);
        }
        return position.getAsLong();
    }
}
