package org.orderly.command.shipping;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductId;
import org.springframework.stereotype.Component;

/**
 * The shipping weight of a product, as the catalog fixed it when it added the product: read from the
 * product's own {@link ProductAddedEvent} in the event store, which is the command side's and always up to
 * date, so a shipment never waits for a copy to catch up and never asks a read model (the command side must
 * keep working when the query side runs in another process). A product's weight never changes after it is
 * added, so a weight once read is kept in memory for good.
 * <p>
 * The first event of a product's stream is the one that added it; reading from sequence 0 bypasses any
 * snapshot the catalog may take.
 */
@Component
public class ProductWeights {

    private final EventStore eventStore;
    private final Map<ProductId, Integer> known = new ConcurrentHashMap<>();

    public ProductWeights(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The weight in grams, or empty for a product the catalog never added. */
    public Optional<Integer> weightOf(ProductId productId) {
        Integer weight = known.get(productId);
        if (weight != null) {
            return Optional.of(weight);
        }
        DomainEventStream stream = eventStore.readEvents(productId.toString(), 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getPayload() instanceof ProductAddedEvent added && added.productId().equals(productId)) {
                known.put(productId, added.weightGrams());
                return Optional.of(added.weightGrams());
            }
        }
        return Optional.empty();
    }
}
