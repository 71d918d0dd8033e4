package org.orderly.command.shipping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.FindShippingWeightsQuery;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShippingWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds the command that creates a shipment, copying each item's weight from the shipping domain's own
 * copy of product weights. The copy is taken here and travels in the shipment's event, so a product's
 * weight changing later never changes a shipment already created.
 */
@Component
public class ShipmentCreator {

    private static final Logger log = LoggerFactory.getLogger(ShipmentCreator.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    /** What to ship: a product and how many of it. */
    public record Line(ProductId productId, int quantity) {
    }

    private final QueryGateway queries;

    public ShipmentCreator(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * @throws RefusedException UNPROCESSABLE naming {@code items[i].productId} when the shipping domain has
     *                          no weight for that product (the copy follows the catalog eventually, so it
     *                          may not have arrived yet); UNAVAILABLE when the weights cannot be read
     */
    public CreateShipmentCommand build(ShipmentId shipmentId, OrderId orderId, List<Line> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new RefusedException(Refusal.invalid("items", "must contain at least one item"));
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) == null || lines.get(i).productId() == null) {
                throw new RefusedException(Refusal.invalid("items[" + i + "].productId", "must not be null"));
            }
        }
        Map<ProductId, Integer> weights = weights(lines.stream().map(Line::productId).distinct().toList());
        List<ShipmentItem> items = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            Integer weight = weights.get(line.productId());
            if (weight == null) {
                throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "items[" + i + "].productId",
                        "Product " + line.productId() + " has no shipping weight"));
            }
            items.add(new ShipmentItem(line.productId(), line.quantity(), weight));
        }
        return new CreateShipmentCommand(shipmentId, orderId, List.copyOf(items));
    }

    private Map<ProductId, Integer> weights(List<ProductId> productIds) {
        try {
            ShippingWeights found = queries.query(new FindShippingWeightsQuery(productIds), ShippingWeights.class)
                    .get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return found == null ? Map.of() : found.byProduct();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(e);
        }
    }

    private static RefusedException unavailable(Exception cause) {
        log.warn("Shipping weights could not be read", cause);
        return new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null,
                "Shipping weights cannot be read at the moment; try again later"));
    }
}
