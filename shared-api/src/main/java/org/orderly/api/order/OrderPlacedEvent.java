package org.orderly.api.order;

import java.util.List;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.Money;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * An order was placed. One placed from a checkout carries its shipping and billing addresses (personal data, sealed
 * under the customer's key, {@code null} once the customer is erased) and its shipping cost, which {@code total}
 * includes; one placed directly, and every event stored before orders had addresses, has {@code null} there.
 */
@Revision("1")
public record OrderPlacedEvent(OrderId orderId, @DataSubject CustomerId customerId, List<OrderLine> lines, Money total,
                               @PersonalData PostalAddress shippingAddress, @PersonalData PostalAddress billingAddress,
                               Money shippingCost) {

    /** An order placed directly: no addresses, no shipping cost. */
    public OrderPlacedEvent(OrderId orderId, CustomerId customerId, List<OrderLine> lines, Money total) {
        this(orderId, customerId, lines, total, null, null, null);
    }
}
