package org.orderly.api.customer;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;

/**
 * A customer registered. Holds no secrets: the email is the contact other domains copy.
 * <p>
 * Revision 2 carries the credit limit the customer registered with, so that a registration is one event,
 * one row write per read model. Revision 1 events have none ({@code null}): a
 * {@link CustomerCreditLimitSetEvent} followed each of them, and still sets their limit.
 *
 * @param creditLimit the limit decided at registration; {@code null} only in revision 1 events
 */
@Revision("2")
public record CustomerRegisteredEvent(CustomerId customerId, String email, String name, Money creditLimit) {
}
