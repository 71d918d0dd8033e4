package org.orderly.command.shipping;

import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.DispatchShipmentCommand;
import org.orderly.api.shipping.MarkShipmentDeliveredCommand;
import org.orderly.api.shipping.ShipmentCreatedEvent;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;

class ShipmentTest {

    private final ShipmentId id = ShipmentId.newId();
    private final OrderId orderId = OrderId.newId();
    private final ShipmentItem book = new ShipmentItem(ProductId.newId(), 2, 450);
    private final ShipmentItem lamp = new ShipmentItem(ProductId.newId(), 1, 1800);
    private FixtureConfiguration<Shipment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Shipment.class);
    }

    @Test
    void creatingAShipmentRecordsItsItemsWithTheirWeights() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(book, lamp)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ShipmentCreatedEvent(id, orderId, List.of(book, lamp)));
    }

    @Test
    void theEventHoldsItsOwnCopyOfTheItems() {
        List<ShipmentItem> items = new ArrayList<>(List.of(book));
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, items))
                .expectEventsMatching(exactSequenceOf(messageWithPayload(new TypeSafeMatcher<ShipmentCreatedEvent>() {
                    @Override
                    protected boolean matchesSafely(ShipmentCreatedEvent event) {
                        return event.items() != items && event.items().equals(List.of(book));
                    }

                    @Override
                    public void describeTo(Description description) {
                        description.appendText("a shipment holding a copy of the command's items");
                    }
                })));
    }

    @Test
    void creatingAShipmentWithoutItemsOrOrderIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of()))
                .expectException(refusal(Refusal.Kind.INVALID, "items"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, null))
                .expectException(refusal(Refusal.Kind.INVALID, "items"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, null, List.of(book)))
                .expectException(refusal(Refusal.Kind.INVALID, "orderId"))
                .expectNoEvents();
    }

    @Test
    void anInvalidItemIsRefusedNamingItsIndexAndField() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(book, new ShipmentItem(lamp.productId(), 0, 10))))
                .expectException(refusal(Refusal.Kind.INVALID, "items[1].quantity"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(new ShipmentItem(null, 1, 10))))
                .expectException(refusal(Refusal.Kind.INVALID, "items[0].productId"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(book, new ShipmentItem(lamp.productId(), 1, -1))))
                .expectException(refusal(Refusal.Kind.INVALID, "items[1].weightGrams"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, Arrays.asList(book, null)))
                .expectException(refusal(Refusal.Kind.INVALID, "items[1]"))
                .expectNoEvents();
    }

    @Test
    void dispatchingACreatedShipmentRecordsTheDispatch() {
        fixture.given(created())
                .when(new DispatchShipmentCommand(id, null))
                .expectEvents(new ShipmentDispatchedEvent(id, orderId));
    }

    @Test
    void dispatchingTwiceIsRefusedAsAConflict() {
        fixture.given(created(), new ShipmentDispatchedEvent(id, orderId))
                .when(new DispatchShipmentCommand(id, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void dispatchingADeliveredShipmentIsRefusedAsAConflict() {
        fixture.given(created(), new ShipmentDispatchedEvent(id, orderId), new ShipmentDeliveredEvent(id, orderId))
                .when(new DispatchShipmentCommand(id, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void markingADispatchedShipmentDeliveredRecordsTheDelivery() {
        fixture.given(created(), new ShipmentDispatchedEvent(id, orderId))
                .when(new MarkShipmentDeliveredCommand(id, 1L))
                .expectEvents(new ShipmentDeliveredEvent(id, orderId));
    }

    @Test
    void deliveringAShipmentThatWasNotDispatchedIsRefusedAsAConflict() {
        fixture.given(created())
                .when(new MarkShipmentDeliveredCommand(id, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void deliveringTwiceIsRefusedAsAConflict() {
        fixture.given(created(), new ShipmentDispatchedEvent(id, orderId), new ShipmentDeliveredEvent(id, orderId))
                .when(new MarkShipmentDeliveredCommand(id, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCommandCarryingAStaleVersionIsRefused() {
        fixture.given(created(), new ShipmentDispatchedEvent(id, orderId))
                .when(new MarkShipmentDeliveredCommand(id, 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    private ShipmentCreatedEvent created() {
        return new ShipmentCreatedEvent(id, orderId, List.of(book, lamp));
    }

    private static Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }
}
