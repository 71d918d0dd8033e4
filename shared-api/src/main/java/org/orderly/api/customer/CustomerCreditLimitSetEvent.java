package org.orderly.api.customer;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;

/** The most a customer's open orders may total; orders above it are refused. */
@Revision("1")
public record CustomerCreditLimitSetEvent(CustomerId customerId, Money creditLimit) {
}
