package org.orderly.command.order;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.PlaceCheckoutOrderCommand;
import org.orderly.api.order.PlaceOrderCommand;
import org.springframework.stereotype.Component;

/**
 * Places the order a checkout session asks for, through the same {@link OrderPlacement} as an order placed over
 * {@code POST /api/orders}: the lines are named and priced from the order domain's copies and checked, and the
 * order gets the session's addresses and shipping cost. The order's id comes from the session, so a second request
 * for it meets the order's existing event stream and places nothing. Lines the order domain now prices otherwise
 * than the session snapshotted are refused: the customer confirmed the session's total, not today's.
 */
@Component
class CheckoutOrderPlacement {

    private final OrderPlacement placement;
    private final CommandGateway commands;

    CheckoutOrderPlacement(OrderPlacement placement, CommandGateway commands) {
        this.placement = placement;
        this.commands = commands;
    }

    @CommandHandler
    void handle(PlaceCheckoutOrderCommand command) {
        if (command.lines() == null || command.lines().isEmpty()) {
            throw new RefusedException(Refusal.invalid("lines", "must hold at least one line"));
        }
        PlaceOrderCommand prepared = placement.prepare(command.orderId(), command.customerId(),
                command.lines().stream().map(line -> new OrderPlacement.RequestedLine(line.productId(),
                        line.quantity())).toList(), command.shippingCost());
        Money itemsTotal = null;
        for (OrderLine line : prepared.lines()) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            itemsTotal = itemsTotal == null ? lineTotal : itemsTotal.plus(lineTotal);
        }
        Money expected = command.expectedItemsTotal();
        if (expected != null && itemsTotal != null && (!expected.currency().equals(itemsTotal.currency())
                || expected.amount().compareTo(itemsTotal.amount()) != 0)) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "lines", "Prices changed since the "
                    + "checkout started: the items cost " + itemsTotal + " now, " + expected + " then; start a new "
                    + "checkout from the cart"));
        }
        commands.sendAndWait(new PlaceOrderCommand(prepared.orderId(), prepared.customerId(), prepared.lines(),
                command.shippingAddress(), command.billingAddress(), command.shippingCost()));
    }
}
