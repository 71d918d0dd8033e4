package org.orderly.api.order;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.axonframework.serialization.Revision;

/**
 * An order cancelled, by its customer or by Orderly. The reason may be text the customer typed: personal data,
 * stored sealed with the customer's key. Revision 1 holds it in plaintext (written before sealing) and is upcast
 * to revision 2 unchanged, until the one-time migration seals it in place.
 */
@Revision("2")
public record OrderCancelledEvent(OrderId orderId, @DataSubject CustomerId customerId, @PersonalData String reason) {
}
