package org.orderly.api.order;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.Money;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * Lines carry the name and price snapshotted from the order domain's copies at placement.
 * <p>
 * An order placed from a checkout also carries where it ships, whom it bills and what shipping costs (the total
 * includes it); an order placed directly has none of them ({@code null}).
 */
public record PlaceOrderCommand(@TargetAggregateIdentifier OrderId orderId, @DataSubject CustomerId customerId,
                                List<OrderLine> lines, @PersonalData PostalAddress shippingAddress,
                                @PersonalData PostalAddress billingAddress, Money shippingCost) {

    /** An order placed directly: no addresses, no shipping cost. */
    public PlaceOrderCommand(OrderId orderId, CustomerId customerId, List<OrderLine> lines) {
        this(orderId, customerId, lines, null, null, null);
    }
}
