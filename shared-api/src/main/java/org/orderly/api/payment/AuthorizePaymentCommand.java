package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates the payment and asks the provider, once the payment is stored, to hold {@code amount}. */
public record AuthorizePaymentCommand(@TargetAggregateIdentifier PaymentId paymentId, OrderId orderId, Money amount) {
}
