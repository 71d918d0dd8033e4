package org.orderly.api.customer;

/**
 * Where a parcel or an invoice goes, as the customer wrote it (stripped of surrounding blanks, the country
 * upper-cased). It is personal data as a whole: a message that carries one marks the component
 * {@link org.orderly.api.common.PersonalData}, so that it is stored sealed under the customer's key, in one
 * piece, and reads as {@code null} once the customer is erased. It is a value without identity, so a domain that
 * needs an address as it was at one moment (a checkout session, an order) copies this record into its own
 * messages, sealed under the same customer, and is unaffected by later changes to the customer's address book.
 *
 * @param recipientName who receives it (a person or a company, c/o)
 * @param line1         street and number, or a post-office box
 * @param line2         apartment, floor, building; {@code null} when none
 * @param postalCode    the postal code as written in that country
 * @param city          city, town or locality
 * @param region        state, province or county, where the country's addresses name one; {@code null} when none
 * @param country       ISO 3166-1 alpha-2 code, upper case ({@code GB}, {@code DE})
 * @param phone         a number the carrier may call; {@code null} when none
 */
public record PostalAddress(String recipientName, String line1, String line2, String postalCode, String city,
                            String region, String country, String phone) {
}
