package org.orderly.command.customer;

import java.util.Locale;
import java.util.regex.Pattern;

import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/** Field rules the aggregate enforces whoever sends the command; REST checks the same before sending. */
final class CustomerRules {

    static final int MAX_EMAIL = 254;
    static final int MAX_NAME = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

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
}
