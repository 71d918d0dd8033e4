package org.orderly.api.customer;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.axonframework.serialization.Revision;

/**
 * A customer's new email, personal data stored sealed with the customer's key. Revision 1 holds it in plaintext
 * (written before sealing) and is upcast to revision 2 unchanged, until the one-time migration seals it in place.
 */
@Revision("2")
public record CustomerEmailChangedEvent(@DataSubject CustomerId customerId, @PersonalData String email) {
}
