package org.orderly.command.shipping;


import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
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
import org.orderly.api.shipping.ShipmentLine;

class ShipmentTest {

    private final ShipmentId id = ShipmentId.newId();
    private final OrderId orderId = OrderId.newId();
    private final ProductId bookId = ProductId.newId();
    private final ProductId lampId = ProductId.newId();
    private final ShipmentItem book = new ShipmentItem(bookId, 2, 450);
    private final ShipmentItem lamp = new ShipmentItem(lampId, 1, 1800);
    private final ShipmentLine bookLine = new ShipmentLine(bookId, 2);
    private final ShipmentLine lampLine = new ShipmentLine(lampId, 1);
    private FixtureConfiguration<Shipment> fixture;

    @BeforeEach
    void setUp() {
        // The catalog's events, in an event store of their own: the shipping domain reads the weights there.
        EventStore catalog = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        catalog.publish(added(bookId, 450), added(lampId, 1800));
        fixture = new AggregateTestFixture<>(Shipment.class);
        fixture.registerInjectableResource(new ProductWeights(catalog));
    }

    private static DomainEventMessage<ProductAddedEvent> added(ProductId productId, int weightGrams) {
        return new GenericDomainEventMessage<>("Product", productId.toString(), 0,
                new ProductAddedEvent(productId, "SKU-" + productId, "Product", Money.of("1.00", "EUR"), weightGrams));
    }

    @Test
    void creatingAShipmentRecordsItsItemsWithTheWeightsTheCatalogGaveThem() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(bookLine, lampLine)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ShipmentCreatedEvent(id, orderId, List.of(book, lamp)));
    }

    @Test
    void creatingTheShipmentOfAnOrderAgainIsANoOp() {
        fixture.given(created())
                .when(new CreateShipmentCommand(id, orderId, List.of(bookLine, lampLine)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void creatingAnExistingShipmentForAnotherOrderIsRefusedAsAConflict() {
        fixture.given(created())
                .when(new CreateShipmentCommand(id, OrderId.newId(), List.of(bookLine)))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aProductTheCatalogNeverAddedIsRefusedNamingTheLine() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(bookLine, new ShipmentLine(ProductId.newId(), 1))))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "lines[1].productId"))
                .expectNoEvents();
    }

    @Test
    void creatingAShipmentWithoutLinesOrOrderIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of()))
                .expectException(refusal(Refusal.Kind.INVALID, "lines"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, null))
                .expectException(refusal(Refusal.Kind.INVALID, "lines"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, null, List.of(bookLine)))
                .expectException(refusal(Refusal.Kind.INVALID, "orderId"))
                .expectNoEvents();
    }

    @Test
    void anInvalidLineIsRefusedNamingItsIndexAndField() {
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(bookLine, new ShipmentLine(lampId, 0))))
                .expectException(refusal(Refusal.Kind.INVALID, "lines[1].quantity"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, List.of(new ShipmentLine(null, 1))))
                .expectException(refusal(Refusal.Kind.INVALID, "lines[0].productId"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateShipmentCommand(id, orderId, Arrays.asList(bookLine, null)))
                .expectException(refusal(Refusal.Kind.INVALID, "lines[1]"))
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
