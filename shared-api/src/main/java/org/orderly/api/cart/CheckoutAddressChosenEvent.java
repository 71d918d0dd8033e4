package org.orderly.api.cart;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * The session ships to, or bills, a copy of one of the customer's addresses. The copy is personal data, sealed
 * under the customer's key as the customer's own address events are, and reads as {@code null} once the customer
 * is erased; {@code addressId} names the address book entry it was copied from.
 */
@Revision("1")
public record CheckoutAddressChosenEvent(CheckoutId checkoutId, @DataSubject CustomerId customerId, AddressUse use,
                                         AddressId addressId, @PersonalData PostalAddress address) {
}
