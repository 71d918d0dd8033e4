package org.orderly.api.returns;

import java.util.List;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderId;

/**
 * A customer asked to return goods of their order. Always followed, in the same transaction, by
 * {@link ReturnApprovedEvent} or {@link ReturnRejectedEvent}.
 * <p>
 * The reason is text the customer typed: personal data, stored sealed with the key of the customer who placed the
 * order. Revision 1 named no customer and held the reason in plaintext; it is upcast to revision 2 with no
 * customer ({@code null}) and its reason as it was, until the one-time migration fills in the order's customer
 * and seals the reason in place.
 *
 * @param customerId the customer who placed the order; {@code null} only in revision 1 events not yet sealed
 */
@Revision("2")
public record ReturnRequestedEvent(ReturnId returnId, OrderId orderId, @DataSubject CustomerId customerId,
                                   List<ReturnLine> lines, @PersonalData String reason) {
}
