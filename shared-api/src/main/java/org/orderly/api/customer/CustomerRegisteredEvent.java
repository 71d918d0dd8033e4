package org.orderly.api.customer;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;

/**
 * A customer registered. Holds no secrets; the email and name are personal data, stored sealed with the
 * customer's key, and read as {@link PersonalData#ERASED} once the customer is erased.
 * <p>
 * Revision 2 carries the credit limit the customer registered with, so that a registration is one event,
 * one row write per read model. Revision 1 events have none ({@code null}): a
 * {@link CustomerCreditLimitSetEvent} followed each of them, and still sets their limit.
 *
 * Revision 3 is the first whose email and name are stored sealed; revisions 1 and 2 hold them in plaintext and
 * are upcast to revision 3 unchanged, until the one-time migration seals them in place.
 *
 * @param creditLimit the limit decided at registration; {@code null} only in revision 1 events
 */
@Revision("3")
public record CustomerRegisteredEvent(@DataSubject CustomerId customerId, @PersonalData String email,
                                      @PersonalData String name, Money creditLimit) {
}
