package org.orderly.command.cart;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CheckOutCartCommand;
import org.orderly.api.cart.CheckoutConfirmationRequestedEvent;
import org.orderly.api.cart.CheckoutFailedEvent;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CompleteCheckoutCommand;
import org.orderly.api.cart.FailCheckoutCommand;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.config.command.SagaCommand;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Carries a checkout's order outcome back to the cart domain: once the order the session asked for is confirmed
 * (stock reserved, payment taken) the session becomes CONFIRMED and the cart CHECKED_OUT; once it is rejected the
 * session becomes FAILED with the reason and the cart is left as it was, since it was never touched. A session
 * whose order the order domain refused outright fails at once, which ends the saga too.
 * <p>
 * It keeps ids only, no personal data. Every command it sends is idempotent; a cart that expired meanwhile refuses
 * to be checked out, which leaves the order (already paid) as it is.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class CheckoutConfirmationSaga {

    @JsonIgnore
    @Autowired
    private transient CommandGateway commands;

    private CheckoutId checkoutId;
    private CartId cartId;
    private OrderId orderId;

    @StartSaga
    @SagaEventHandler(associationProperty = "checkoutId")
    void on(CheckoutConfirmationRequestedEvent event) {
        checkoutId = event.checkoutId();
        cartId = event.cartId();
        orderId = event.orderId();
        SagaLifecycle.associateWith("orderId", orderId.toString());
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(OrderConfirmedEvent event) {
        require(SagaCommand.send(commands, new CompleteCheckoutCommand(checkoutId)));
        SagaCommand.Result cart = SagaCommand.send(commands, new CheckOutCartCommand(cartId));
        if (cart.outcome() == SagaCommand.Outcome.FAILED) {
            require(cart);
        }
        SagaLifecycle.end();
    }

    @SagaEventHandler(associationProperty = "orderId")
    void on(OrderRejectedEvent event) {
        require(SagaCommand.send(commands, new FailCheckoutCommand(checkoutId, event.reason())));
        SagaLifecycle.end();
    }

    /** Refused at placement: the session failed already, and no order will follow. */
    @EndSaga
    @SagaEventHandler(associationProperty = "checkoutId")
    void on(CheckoutFailedEvent event) {
        // nothing more to carry
    }

    /** A command that could not run (not one that was refused as already done) is tried again with the event. */
    private static void require(SagaCommand.Result result) {
        if (result.outcome() == SagaCommand.Outcome.FAILED) {
            throw new IllegalStateException("Checkout outcome not recorded: " + result.error());
        }
    }
}
