package org.orderly.api.order;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrderCancelledEvent(OrderId orderId, @DataSubject CustomerId customerId, @PersonalData String reason) {
}
