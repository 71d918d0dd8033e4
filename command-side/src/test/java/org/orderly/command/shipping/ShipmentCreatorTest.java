package org.orderly.command.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.FindShippingWeightsQuery;
import org.orderly.api.shipping.ProductWeight;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShippingWeights;

class ShipmentCreatorTest {

    private final ShipmentId shipmentId = ShipmentId.newId();
    private final OrderId orderId = OrderId.newId();
    private final ProductId book = ProductId.newId();
    private final ProductId lamp = ProductId.newId();
    private final List<FindShippingWeightsQuery> asked = new CopyOnWriteArrayList<>();

    @Test
    void theCommandCarriesEachItemsWeightFromTheShippingCopy() {
        ShipmentCreator creator = new ShipmentCreator(weights(Map.of(book, 450, lamp, 1800)));

        CreateShipmentCommand command = creator.build(shipmentId, orderId,
                List.of(new ShipmentCreator.Line(book, 2), new ShipmentCreator.Line(lamp, 1)));

        assertThat(command).isEqualTo(new CreateShipmentCommand(shipmentId, orderId,
                List.of(new ShipmentItem(book, 2, 450), new ShipmentItem(lamp, 1, 1800))));
    }

    @Test
    void eachProductIsAskedForOnceEvenOnSeveralLines() {
        ShipmentCreator creator = new ShipmentCreator(weights(Map.of(book, 450)));

        CreateShipmentCommand command = creator.build(shipmentId, orderId,
                List.of(new ShipmentCreator.Line(book, 2), new ShipmentCreator.Line(book, 3)));

        assertThat(asked).singleElement().extracting(FindShippingWeightsQuery::productIds).isEqualTo(List.of(book));
        assertThat(command.items()).extracting(ShipmentItem::weightGrams).containsExactly(450, 450);
    }

    @Test
    void aProductWithoutAWeightCopyIsRefusedAsUnprocessableNamingItsLine() {
        ShipmentCreator creator = new ShipmentCreator(weights(Map.of(book, 450)));

        assertThatThrownBy(() -> creator.build(shipmentId, orderId,
                List.of(new ShipmentCreator.Line(book, 1), new ShipmentCreator.Line(lamp, 1))))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal().kind()).isEqualTo(Refusal.Kind.UNPROCESSABLE);
                    assertThat(e.refusal().field()).isEqualTo("items[1].productId");
                    assertThat(e.refusal().message()).contains(lamp.toString());
                });
    }

    @Test
    void noLinesOrALineWithoutAProductIsRefusedBeforeAnyQuery() {
        ShipmentCreator creator = new ShipmentCreator(weights(Map.of(book, 450)));

        assertThatThrownBy(() -> creator.build(shipmentId, orderId, List.of()))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.invalid("items", "must contain at least one item")));
        assertThatThrownBy(() -> creator.build(shipmentId, orderId,
                List.of(new ShipmentCreator.Line(book, 1), new ShipmentCreator.Line(null, 1))))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal().field()).isEqualTo("items[1].productId"));
        assertThat(asked).isEmpty();
    }

    @Test
    void weightsThatCannotBeReadAreRefusedAsUnavailable() {
        // No handler for the query at all, as when the query side is not deployed.
        ShipmentCreator creator = new ShipmentCreator(
                DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build());

        assertThatThrownBy(() -> creator.build(shipmentId, orderId, List.of(new ShipmentCreator.Line(book, 1))))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal().kind()).isEqualTo(Refusal.Kind.UNAVAILABLE));
    }

    /** A query bus answering from a map, as the shipping domain's product_weights table would. */
    private QueryGateway weights(Map<ProductId, Integer> known) {
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        bus.subscribe(FindShippingWeightsQuery.class.getName(), ShippingWeights.class, message -> {
            FindShippingWeightsQuery query = (FindShippingWeightsQuery) message.getPayload();
            asked.add(query);
            return new ShippingWeights(query.productIds().stream().filter(known::containsKey)
                    .map(id -> new ProductWeight(id, known.get(id))).toList());
        });
        return DefaultQueryGateway.builder().queryBus(bus).build();
    }
}
