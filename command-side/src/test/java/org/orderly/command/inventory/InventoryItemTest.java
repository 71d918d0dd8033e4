package org.orderly.command.inventory;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;

import java.util.Objects;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
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
import org.orderly.api.inventory.CommitStockCommand;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
import org.orderly.api.inventory.ReservationOutcome;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.inventory.StockCommittedEvent;
import org.orderly.api.inventory.StockReceivedEvent;
import org.orderly.api.inventory.StockReleasedEvent;
import org.orderly.api.inventory.StockReservationRejectedEvent;
import org.orderly.api.inventory.StockReservedEvent;
import org.orderly.api.order.OrderId;

class InventoryItemTest {

    private final ProductId product = ProductId.newId();
    private final OrderId orderA = OrderId.newId();
    private final OrderId orderB = OrderId.newId();
    private FixtureConfiguration<InventoryItem> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(InventoryItem.class);
    }

    @Test
    void theFirstReceiptCreatesTheItem() {
        fixture.givenNoPriorActivity()
                .when(new ReceiveStockCommand(product, 10))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new StockReceivedEvent(product, 10));
    }

    @Test
    void aReceiptRedeliveredWithTheSameReferenceAddsNothing() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReceivedEvent(product, 2, "return:r1:p"))
                .when(new ReceiveStockCommand(product, 2, "return:r1:p"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void furtherReceiptsAddToTheStockOnHand() {
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new ReceiveStockCommand(product, 5))
                .expectEvents(new StockReceivedEvent(product, 5));
        fixture.given(new StockReceivedEvent(product, 10), new StockReceivedEvent(product, 5))
                .when(new ReserveStockCommand(product, orderA, 15))
                .expectEvents(new StockReservedEvent(product, orderA, 15));
    }

    @Test
    void receivingLessThanOneIsRefusedAndCreatesNothing() {
        fixture.givenNoPriorActivity()
                .when(new ReceiveStockCommand(product, 0))
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new ReceiveStockCommand(product, -3))
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
    }

    @Test
    void receivingBeyondTheLargestCountableStockIsRefused() {
        fixture.given(new StockReceivedEvent(product, Integer.MAX_VALUE - 1))
                .when(new ReceiveStockCommand(product, 2))
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
    }

    @Test
    void reservingNoMoreThanIsAvailableReservesIt() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderB, 6))
                .expectEvents(new StockReservedEvent(product, orderB, 6));
    }

    @Test
    void reservingMoreThanAvailableIsRejectedWithWhatWasAvailable() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderB, 7))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new StockReservationRejectedEvent(product, orderB, 7, 6));
    }

    @Test
    void aRejectedReservationReservesNothing() {
        fixture.given(new StockReceivedEvent(product, 10),
                        new StockReservationRejectedEvent(product, orderA, 11, 10))
                .when(new ReserveStockCommand(product, orderB, 10))
                .expectEvents(new StockReservedEvent(product, orderB, 10));
    }

    @Test
    void reservingAgainForTheSameOrderAddsNoEventAndAnswersThatTheStockIsHeld() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderA, 4))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(ReservationOutcome.RESERVED);
    }

    @Test
    void aReservationAnswersWithItsOutcome() {
        fixture.given(new StockReceivedEvent(product, 3))
                .when(new ReserveStockCommand(product, orderA, 3))
                .expectResultMessagePayload(ReservationOutcome.RESERVED);
        fixture.given(new StockReceivedEvent(product, 3))
                .when(new ReserveStockCommand(product, orderA, 4))
                .expectResultMessagePayload(ReservationOutcome.REJECTED);
    }

    @Test
    void reservingAgainAfterARejectionAddsNoEventAndAnswersTheRejection() {
        fixture.given(new StockReceivedEvent(product, 2), new StockReservationRejectedEvent(product, orderA, 3, 2))
                .when(new ReserveStockCommand(product, orderA, 3))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(ReservationOutcome.REJECTED);
    }

    @Test
    void reservingAgainForTheSameOrderWithAnotherQuantityIsRefusedAsAConflict() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderA, 5))
                .expectException(refusal(Refusal.Kind.CONFLICT, "quantity"))
                .expectNoEvents();
    }

    @Test
    void reservingLessThanOneOrForNoOrderIsRefused() {
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new ReserveStockCommand(product, orderA, 0))
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new ReserveStockCommand(product, null, 1))
                .expectException(refusal(Refusal.Kind.INVALID, "orderId"))
                .expectNoEvents();
    }

    @Test
    void reservingReleasingOrCommittingStockOfAProductNeverReceivedFailsAsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new ReserveStockCommand(product, orderA, 1))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new ReleaseStockCommand(product, orderA))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CommitStockCommand(product, orderA))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void releasingAReservationGivesItsQuantityBack() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new ReleaseStockCommand(product, orderA))
                .expectEvents(new StockReleasedEvent(product, orderA, 4));
    }

    @Test
    void releasedStockCanBeReservedByAnotherOrder() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 10),
                        new StockReleasedEvent(product, orderA, 10))
                .when(new ReserveStockCommand(product, orderB, 10))
                .expectEvents(new StockReservedEvent(product, orderB, 10));
    }

    @Test
    void releasingWhenTheOrderHoldsNoReservationAddsNoEvent() {
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new ReleaseStockCommand(product, orderA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockReleasedEvent(product, orderA, 4))
                .when(new ReleaseStockCommand(product, orderA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 1), new StockReservationRejectedEvent(product, orderA, 4, 1))
                .when(new ReleaseStockCommand(product, orderA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void committingAReservationTakesItsGoodsOutOfStock() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4))
                .when(new CommitStockCommand(product, orderA))
                .expectEvents(new StockCommittedEvent(product, orderA, 4));
    }

    @Test
    void afterACommitOnlyWhatRemainsOnHandCanBeReserved() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockCommittedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderB, 7))
                .expectEvents(new StockReservationRejectedEvent(product, orderB, 7, 6));
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockCommittedEvent(product, orderA, 4))
                .when(new ReserveStockCommand(product, orderB, 6))
                .expectEvents(new StockReservedEvent(product, orderB, 6));
    }

    @Test
    void committingTwiceOrReleasingACommittedReservationAddsNoEvent() {
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockCommittedEvent(product, orderA, 4))
                .when(new CommitStockCommand(product, orderA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockCommittedEvent(product, orderA, 4))
                .when(new ReleaseStockCommand(product, orderA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void committingWithoutAReservationIsRefusedAsAConflict() {
        fixture.given(new StockReceivedEvent(product, 10))
                .when(new CommitStockCommand(product, orderA))
                .expectException(refusal(Refusal.Kind.CONFLICT, "orderId"))
                .expectNoEvents();
        fixture.given(new StockReceivedEvent(product, 10), new StockReservedEvent(product, orderA, 4),
                        new StockReleasedEvent(product, orderA, 4))
                .when(new CommitStockCommand(product, orderA))
                .expectException(refusal(Refusal.Kind.CONFLICT, "orderId"))
                .expectNoEvents();
    }

    /** The event store keys streams by identifier alone, and the product's own stream has the bare UUID. */
    @Test
    void theItemIsStoredUnderAnIdentifierOfItsOwnNotTheProducts() {
        fixture.givenNoPriorActivity()
                .when(new ReceiveStockCommand(product, 1))
                .expectEventsMatching(exactSequenceOf(storedUnder("inventory:" + product), andNoMore()));
    }

    private static Matcher<EventMessage<?>> storedUnder(String aggregateIdentifier) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(EventMessage<?> event) {
                return event instanceof DomainEventMessage<?> domain
                        && aggregateIdentifier.equals(domain.getAggregateIdentifier());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("an event stored under aggregate " + aggregateIdentifier);
            }
        };
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
