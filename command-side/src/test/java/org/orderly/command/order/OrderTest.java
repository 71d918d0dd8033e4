package org.orderly.command.order;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.CancelOrderCommand;
import org.orderly.api.order.ConfirmOrderCommand;
import org.orderly.api.order.MarkOrderDeliveredCommand;
import org.orderly.api.order.MarkOrderShippedCommand;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderDeliveredEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.order.OrderShippedEvent;
import org.orderly.api.order.PlaceOrderCommand;
import org.orderly.api.order.RejectOrderCommand;

class OrderTest {

    private final OrderId orderId = OrderId.newId();
    private final CustomerId customerId = CustomerId.newId();
    private final OrderLine pens = new OrderLine(ProductId.newId(), "Pen", 3, Money.of("1.50", "EUR"));
    private final OrderLine ink = new OrderLine(ProductId.newId(), "Ink", 1, Money.of("7.25", "EUR"));
    private final OrderPlacedEvent placed = new OrderPlacedEvent(orderId, customerId, List.of(pens, ink),
            Money.of("11.75", "EUR"));
    private FixtureConfiguration<Order> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
    }

    /** The customer who places the order, as the metadata of a command they send. */
    private Map<String, String> owner() {
        return Actor.customer("subject-of-" + customerId, customerId.value()).toMetaData();
    }

    @Test
    void placingAnOrderRecordsTheSnapshottedLinesAndTheirTotal() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId, List.of(pens, ink)), owner())
                .expectEvents(placed);
    }

    @Test
    void anOrderWithoutLinesIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId, List.of()), owner())
                .expectException(refusal(Refusal.Kind.INVALID, "lines"))
                .expectNoEvents();
    }

    @Test
    void aLineWithoutQuantityIsRefusedNamingTheLine() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId,
                        List.of(pens, new OrderLine(ProductId.newId(), "Pad", 0, Money.of("2.00", "EUR")))), owner())
                .expectException(refusal(Refusal.Kind.INVALID, "lines[1].quantity"))
                .expectNoEvents();
    }

    @Test
    void theSameProductOnTwoLinesIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId, List.of(pens, pens)), owner())
                .expectException(refusal(Refusal.Kind.INVALID, "lines[1].productId"))
                .expectNoEvents();
    }

    @Test
    void linesInTwoCurrenciesAreRefused() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId,
                        List.of(pens, new OrderLine(ProductId.newId(), "Pad", 1, Money.of("2.00", "USD")))), owner())
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "lines"))
                .expectNoEvents();
    }

    @Test
    void aPendingOrderCanBeConfirmedOnce() {
        fixture.given(placed)
                .when(new ConfirmOrderCommand(orderId))
                .expectEvents(new OrderConfirmedEvent(orderId, customerId));
        fixture.given(placed, new OrderConfirmedEvent(orderId, customerId))
                .when(new ConfirmOrderCommand(orderId))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aPendingOrderCanBeRejectedWithAReason() {
        fixture.given(placed)
                .when(new RejectOrderCommand(orderId, "out of stock"))
                .expectEvents(new OrderRejectedEvent(orderId, customerId, "out of stock"));
    }

    @Test
    void aRejectedOrderCannotBeConfirmed() {
        fixture.given(placed, new OrderRejectedEvent(orderId, customerId, "out of stock"))
                .when(new ConfirmOrderCommand(orderId))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aConfirmedOrderCanBeCancelledWithTheCustomersReason() {
        fixture.given(placed, new OrderConfirmedEvent(orderId, customerId))
                .when(new CancelOrderCommand(orderId, "changed my mind", null), owner())
                .expectEvents(new OrderCancelledEvent(orderId, customerId, "changed my mind"));
    }

    @Test
    void cancellingWithoutAReasonRecordsTheDefaultOne() {
        fixture.given(placed)
                .when(new CancelOrderCommand(orderId, null, null), owner())
                .expectEvents(new OrderCancelledEvent(orderId, customerId, "cancelled by the customer"));
    }

    @Test
    void aShippedOrderCannotBeCancelled() {
        fixture.given(placed, new OrderConfirmedEvent(orderId, customerId), new OrderShippedEvent(orderId, customerId))
                .when(new CancelOrderCommand(orderId, null, null), owner())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCancelledOrderCannotBeCancelledAgain() {
        fixture.given(placed, new OrderCancelledEvent(orderId, customerId, "x"))
                .when(new CancelOrderCommand(orderId, null, null), owner())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aConfirmedOrderShipsAndIsThenDelivered() {
        fixture.given(placed, new OrderConfirmedEvent(orderId, customerId))
                .when(new MarkOrderShippedCommand(orderId))
                .expectEvents(new OrderShippedEvent(orderId, customerId));
        fixture.given(placed, new OrderConfirmedEvent(orderId, customerId), new OrderShippedEvent(orderId, customerId))
                .when(new MarkOrderDeliveredCommand(orderId))
                .expectEvents(new OrderDeliveredEvent(orderId, customerId));
    }

    @Test
    void aPendingOrderCannotShip() {
        fixture.given(placed)
                .when(new MarkOrderShippedCommand(orderId))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
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

    @Test
    void aCustomerCannotPlaceAnOrderForAnotherCustomer() {
        CustomerId other = CustomerId.newId();
        fixture.givenNoPriorActivity()
                .when(new PlaceOrderCommand(orderId, customerId, List.of(pens)),
                        Actor.customer("subject-of-" + other, other.value()).toMetaData())
                .expectNoEvents()
                .expectException(RefusedException.class);
    }

    @Test
    void aCustomerCannotCancelAnotherCustomersOrderAndSeesItAsUnknown() {
        CustomerId other = CustomerId.newId();
        fixture.given(placed)
                .when(new CancelOrderCommand(orderId, "mine now", null),
                        Actor.customer("subject-of-" + other, other.value()).toMetaData())
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + orderId);
    }
}
