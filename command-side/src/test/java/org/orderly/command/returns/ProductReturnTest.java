package org.orderly.command.returns;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.axonframework.test.aggregate.AggregateTestFixture;
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
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.returns.ConfirmReturnReceiptCommand;
import org.orderly.api.returns.MarkReturnRefundedCommand;
import org.orderly.api.returns.MarkReturnRestockedCommand;
import org.orderly.api.returns.RejectReturnCommand;
import org.orderly.api.returns.RequestReturnCommand;
import org.orderly.api.returns.RequestedReturnLine;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnReceivedEvent;
import org.orderly.api.returns.ReturnRefundedEvent;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.api.returns.ReturnRestockedEvent;
import org.orderly.api.returns.ReturnableOrder;

class ProductReturnTest {

    private final ReturnId returnId = ReturnId.newId();
    private final OrderId orderId = OrderId.newId();
    private final CustomerId customerId = CustomerId.newId();
    /** The customer who placed the order, as the command's metadata names its sender. */
    private final Map<String, String> asCustomer = Actor.customer("sub", customerId.value()).toMetaData();
    private final ProductId pen = ProductId.newId();
    private final ProductId ink = ProductId.newId();
    private final Money penPrice = Money.of("1.50", "EUR");
    private final Money inkPrice = Money.of("7.00", "EUR");
    private final ReturnProperties settings = new ReturnProperties(Duration.ofDays(30), Duration.ofDays(30), 3,
            Duration.ofSeconds(1), Duration.ofMinutes(5));
    private AggregateTestFixture<ProductReturn> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ProductReturn.class);
        fixture.registerInjectableResource(settings);
    }

    /** Delivered 3 pens (1 already claimed by an earlier return) and 1 ink, {@code daysAgo} days ago. */
    private ReturnableOrder delivered(long daysAgo) {
        return new ReturnableOrder(orderId, customerId, OrderStatus.DELIVERED,
                Instant.now().minus(Duration.ofDays(daysAgo)), List.of(new ReturnableOrder.Line(pen, 3, 1, penPrice),
                        new ReturnableOrder.Line(ink, 1, 0, inkPrice)), true);
    }

    private RequestReturnCommand request(ReturnableOrder order, RequestedReturnLine... lines) {
        return new RequestReturnCommand(returnId, List.of(lines), "  too many pens ", order);
    }

    private List<ReturnLine> twoPensAndInk() {
        return List.of(new ReturnLine(pen, 2, penPrice), new ReturnLine(ink, 1, inkPrice));
    }

    private Object[] approved() {
        return new Object[]{new ReturnRequestedEvent(returnId, orderId, customerId, twoPensAndInk(), "too many pens"),
                new ReturnApprovedEvent(returnId, orderId, twoPensAndInk(), Money.of("10.00", "EUR"))};
    }

    @Test
    void aRequestWithinTheWindowForWhatIsStillReturnableIsApprovedWithTheRefundAtSnapshottedPrices() {
        fixture.givenNoPriorActivity()
                .when(request(delivered(29), new RequestedReturnLine(pen, 2), new RequestedReturnLine(ink, 1)),
                        asCustomer)
                .expectSuccessfulHandlerExecution()
                .expectEvents(approved());
    }

    @Test
    void aRequestAfterTheWindowHasClosedIsRejectedWithAReason() {
        fixture.givenNoPriorActivity()
                .when(request(delivered(31), new RequestedReturnLine(pen, 1)), asCustomer)
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.isA(ReturnRequestedEvent.class)),
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.<Object>both(org.hamcrest.Matchers.isA(ReturnRejectedEvent.class))
                                        .and(org.hamcrest.Matchers.hasToString(
                                                org.hamcrest.Matchers.containsString("return window of 30 days"))))));
    }

    @Test
    void moreUnitsThanDeliveredLessAlreadyReturnedAreRejected() {
        fixture.givenNoPriorActivity()
                .when(request(delivered(1), new RequestedReturnLine(pen, 3)), asCustomer)
                .expectEvents(new ReturnRequestedEvent(returnId, orderId, customerId, List.of(new ReturnLine(pen, 3, penPrice)),
                                "too many pens"),
                        new ReturnRejectedEvent(returnId, orderId, "Only 2 of the 3 delivered units of product " + pen
                                + " can still be returned, not 3"));
    }

    @Test
    void aProductTheOrderNeverHeldIsRejected() {
        ProductId stranger = ProductId.newId();
        fixture.givenNoPriorActivity()
                .when(request(delivered(1), new RequestedReturnLine(stranger, 1)), asCustomer)
                .expectEvents(new ReturnRequestedEvent(returnId, orderId, customerId, List.of(new ReturnLine(stranger, 1, null)),
                                "too many pens"),
                        new ReturnRejectedEvent(returnId, orderId, "Product " + stranger
                                + " was not delivered with order " + orderId));
    }

    @Test
    void anOrderNotYetDeliveredIsAConflictAndWritesNothing() {
        ReturnableOrder shipped = new ReturnableOrder(orderId, customerId, OrderStatus.SHIPPED, null,
                delivered(1).lines(), true);
        fixture.givenNoPriorActivity()
                .when(request(shipped, new RequestedReturnLine(pen, 1)), asCustomer)
                .expectException(RefusedException.class)
                .expectNoEvents();
    }

    @Test
    void anUnknownOrderIsNotFound() {
        ReturnableOrder unknown = new ReturnableOrder(orderId, null, null, null, List.of(), true);
        fixture.givenNoPriorActivity()
                .when(request(unknown, new RequestedReturnLine(pen, 1)), asCustomer)
                .expectException(notFound())
                .expectExceptionMessage("No resource with id " + orderId)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(request(unknown, new RequestedReturnLine(pen, 1)),
                        new Actor("staff", java.util.Set.of(Actor.Role.STAFF), null).toMetaData())
                .expectException(notFound())
                .expectExceptionMessage("Order " + orderId + " does not exist")
                .expectNoEvents();
    }

    @Test
    void staffCannotRequestAReturnOfAnOrderWhoseCopyNamesNoCustomerSinceItsReasonCouldNotBeSealed() {
        ReturnableOrder ownerless = new ReturnableOrder(orderId, null, OrderStatus.DELIVERED,
                delivered(1).deliveredAt(), delivered(1).lines(), true);
        fixture.givenNoPriorActivity()
                .when(request(ownerless, new RequestedReturnLine(pen, 1)),
                        new Actor("staff", java.util.Set.of(Actor.Role.STAFF), null).toMetaData())
                .expectException(RefusedException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("does not name who placed it"))
                .expectNoEvents();
    }

    @Test
    void aCustomerCannotRequestAReturnOfAnotherCustomersOrder() {
        Map<String, String> anotherCustomer = Actor.customer("other", CustomerId.newId().value()).toMetaData();
        // Exactly the refusal of an unknown order: nothing tells the order exists.
        fixture.givenNoPriorActivity()
                .when(request(delivered(1), new RequestedReturnLine(pen, 1)), anotherCustomer)
                .expectException(notFound())
                .expectExceptionMessage("No resource with id " + orderId)
                .expectNoEvents();
    }

    @Test
    void aLineRepeatingAProductIsInvalid() {
        fixture.givenNoPriorActivity()
                .when(request(delivered(1), new RequestedReturnLine(pen, 1), new RequestedReturnLine(pen, 1)),
                        asCustomer)
                .expectException(RefusedException.class)
                .expectNoEvents();
    }

    @Test
    void theWarehouseReceivesAnApprovedReturnOnceAndARepeatIsHarmless() {
        fixture.given(approved())
                .when(new ConfirmReturnReceiptCommand(returnId, null))
                .expectEvents(new ReturnReceivedEvent(returnId, orderId));
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId))
                .when(new ConfirmReturnReceiptCommand(returnId, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRejectedReturnCannotBeReceived() {
        fixture.given(new ReturnRequestedEvent(returnId, orderId, customerId, twoPensAndInk(), "r"),
                        new ReturnRejectedEvent(returnId, orderId, "too late"))
                .when(new ConfirmReturnReceiptCommand(returnId, null))
                .expectException(RefusedException.class)
                .expectNoEvents();
    }

    @Test
    void anApprovedReturnWhoseGoodsNeverArriveIsWithdrawnButAReceivedOneIsNot() {
        fixture.given(approved())
                .when(new RejectReturnCommand(returnId, "not received"))
                .expectEvents(new ReturnRejectedEvent(returnId, orderId, "not received"));
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId))
                .when(new RejectReturnCommand(returnId, "not received"))
                .expectException(RefusedException.class)
                .expectNoEvents();
    }

    @Test
    void aReceivedReturnIsRestockedThenRefundedForItsApprovedAmountAndRepeatsAreHarmless() {
        PaymentId paymentId = PaymentId.newId();
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId))
                .when(new MarkReturnRefundedCommand(returnId, paymentId))
                .expectException(RefusedException.class);
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId))
                .when(new MarkReturnRestockedCommand(returnId))
                .expectEvents(new ReturnRestockedEvent(returnId, orderId));
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId),
                        new ReturnRestockedEvent(returnId, orderId))
                .when(new MarkReturnRefundedCommand(returnId, paymentId))
                .expectEvents(new ReturnRefundedEvent(returnId, orderId, paymentId, Money.of("10.00", "EUR")));
        fixture.given(approved()).andGiven(new ReturnReceivedEvent(returnId, orderId),
                        new ReturnRestockedEvent(returnId, orderId),
                        new ReturnRefundedEvent(returnId, orderId, paymentId, Money.of("10.00", "EUR")))
                .when(new MarkReturnRefundedCommand(returnId, paymentId))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    private static Matcher<RefusedException> notFound() {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == Refusal.Kind.NOT_FOUND && Objects.isNull(e.refusal().field());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a NOT_FOUND refusal");
            }
        };
    }
}
