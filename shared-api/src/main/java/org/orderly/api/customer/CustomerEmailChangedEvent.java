package org.orderly.api.customer;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.axonframework.serialization.Revision;

@Revision("1")
public record CustomerEmailChangedEvent(@DataSubject CustomerId customerId, @PersonalData String email) {
}
