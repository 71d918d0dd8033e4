package org.orderly.command.cart;

import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.Test;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CheckOutCartCommand;
import org.orderly.api.cart.CheckoutConfirmationRequestedEvent;
import org.orderly.api.cart.CheckoutFailedEvent;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CompleteCheckoutCommand;
import org.orderly.api.cart.FailCheckoutCommand;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderRejectedEvent;

class CheckoutConfirmationSagaTest {

    private final CustomerId customerId = CustomerId.newId();
    private final CartId cartId = CartId.forCustomer(customerId, 0);
    private final CheckoutId checkoutId = CheckoutId.newId();

    private SagaTestFixture<CheckoutConfirmationSaga> fixture() {
        return new SagaTestFixture<>(CheckoutConfirmationSaga.class);
    }

    private CheckoutConfirmationRequestedEvent requested() {
        return new CheckoutConfirmationRequestedEvent(checkoutId, cartId, customerId, checkoutId.orderId());
    }

    @Test
    void aConfirmedOrderCompletesTheSessionAndChecksTheCartOut() {
        fixture().givenAggregate(checkoutId.toString()).published(requested())
                .whenAggregate(checkoutId.orderId().toString()).publishes(new OrderConfirmedEvent(checkoutId.orderId(),
                        customerId))
                .expectDispatchedCommands(new CompleteCheckoutCommand(checkoutId), new CheckOutCartCommand(cartId))
                .expectActiveSagas(0);
    }

    @Test
    void aRejectedOrderFailsTheSessionWithItsReasonAndLeavesTheCartAlone() {
        fixture().givenAggregate(checkoutId.toString()).published(requested())
                .whenAggregate(checkoutId.orderId().toString()).publishes(new OrderRejectedEvent(checkoutId.orderId(),
                        customerId, "out of stock"))
                .expectDispatchedCommands(new FailCheckoutCommand(checkoutId, "out of stock"))
                .expectActiveSagas(0);
    }

    @Test
    void aSessionFailedAtPlacementEndsTheSagaWithoutACommand() {
        fixture().givenAggregate(checkoutId.toString()).published(requested())
                .whenAggregate(checkoutId.toString()).publishes(new CheckoutFailedEvent(checkoutId, cartId,
                        "over the credit limit"))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }

    @Test
    void anotherOrdersOutcomeIsNoneOfItsBusiness() {
        CheckoutId other = CheckoutId.newId();
        fixture().givenAggregate(checkoutId.toString()).published(requested())
                .whenAggregate(other.orderId().toString()).publishes(new OrderConfirmedEvent(other.orderId(), customerId))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }
}
