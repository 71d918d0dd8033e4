package org.orderly.api.order;

import java.util.List;

import org.orderly.api.common.DataSubject;
import org.orderly.api.common.Money;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * Asks the order domain to place an order for a checkout: the order domain names and prices the lines from its own
 * copies and checks them (customer active, products not discontinued, the credit limit, which the shipping cost
 * counts towards), as it does for an order placed directly, then places it with the addresses and shipping cost.
 * Sent again with the same {@code orderId}, it places nothing more.
 *
 * @param expectedItemsTotal what the lines cost when the checkout started, which the customer confirmed: lines the
 *                           order domain now prices otherwise are refused rather than charged at a price the
 *                           customer did not see ({@code null}: no such check)
 */
public record PlaceCheckoutOrderCommand(OrderId orderId, @DataSubject CustomerId customerId, List<RequestedOrderLine> lines,
                                        @PersonalData PostalAddress shippingAddress,
                                        @PersonalData PostalAddress billingAddress, Money shippingCost,
                                        Money expectedItemsTotal) {
}
