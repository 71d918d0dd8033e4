package org.orderly.command.customer;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.PostalAddress;

/** Field rules the aggregate enforces whoever sends the command; REST checks the same before sending. */
final class CustomerRules {

    static final int MAX_EMAIL = 254;
    static final int MAX_NAME = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** The most addresses one customer keeps: an address book, not a mailing list. */
    static final int MAX_ADDRESSES = 20;
    static final int MAX_ADDRESS_LINE = 200;
    static final int MAX_POSTAL_CODE = 16;
    static final int MAX_CITY = 100;
    static final int MAX_REGION = 100;
    static final int MAX_PHONE = 32;
    /** Letters, digits, blanks and hyphens: every country's postal codes, and nothing else. */
    static final String POSTAL_CODE = "[\\p{L}\\p{N}][\\p{L}\\p{N} -]*";
    /** An optional leading +, then digits with the separators people write (blank, hyphen, dot, parentheses). */
    static final String PHONE = "\\+?[0-9][0-9 ().-]*[0-9]";
    private static final Pattern POSTAL_CODE_PATTERN = Pattern.compile(POSTAL_CODE);
    private static final Pattern PHONE_PATTERN = Pattern.compile(PHONE);
    /** ISO 3166-1 alpha-2, as the JDK knows it. */
    private static final Set<String> COUNTRIES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);

    private CustomerRules() {
    }

    /** Emails compare case-insensitively, so they are stored lower-cased. */
    static String email(String email) {
        if (email == null || email.isBlank()) {
            throw new RefusedException(Refusal.invalid("email", "must not be blank"));
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > MAX_EMAIL || !EMAIL.matcher(normalized).matches()) {
            throw new RefusedException(Refusal.invalid("email", "must be a well-formed email address"));
        }
        return normalized;
    }

    static Money creditLimit(Money limit) {
        if (limit == null) {
            throw new RefusedException(Refusal.invalid("creditLimit", "must be given"));
        }
        if (limit.isNegative()) {
            throw new RefusedException(Refusal.invalid("creditLimit", "must not be negative"));
        }
        return limit;
    }

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new RefusedException(Refusal.invalid("name", "must not be blank"));
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME) {
            throw new RefusedException(Refusal.invalid("name", "must be at most " + MAX_NAME + " characters"));
        }
        return stripped;
    }

    /**
     * An address as stored: every text stripped, optional ones {@code null} when blank, the country upper-cased and
     * a real ISO 3166-1 alpha-2 code. Each refusal names the request field at fault.
     */
    static PostalAddress address(PostalAddress address) {
        if (address == null) {
            throw new RefusedException(Refusal.invalid("address", "must be given"));
        }
        String country = required("country", address.country(), 2).toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            throw new RefusedException(Refusal.invalid("country", "must be an ISO 3166-1 alpha-2 country code"));
        }
        String postalCode = required("postalCode", address.postalCode(), MAX_POSTAL_CODE);
        if (!POSTAL_CODE_PATTERN.matcher(postalCode).matches()) {
            throw new RefusedException(Refusal.invalid("postalCode", "must be letters, digits, blanks and hyphens"));
        }
        String phone = optional("phone", address.phone(), MAX_PHONE);
        if (phone != null && !PHONE_PATTERN.matcher(phone).matches()) {
            throw new RefusedException(Refusal.invalid("phone", "must be a phone number"));
        }
        return new PostalAddress(required("recipientName", address.recipientName(), MAX_NAME),
                required("line1", address.line1(), MAX_ADDRESS_LINE),
                optional("line2", address.line2(), MAX_ADDRESS_LINE), postalCode,
                required("city", address.city(), MAX_CITY), optional("region", address.region(), MAX_REGION),
                country, phone);
    }

    private static String required(String field, String value, int max) {
        String stripped = optional(field, value, max);
        if (stripped == null) {
            throw new RefusedException(Refusal.invalid(field, "must not be blank"));
        }
        return stripped;
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new RefusedException(Refusal.invalid(field, "must be at most " + max + " characters"));
        }
        return stripped;
    }
}
