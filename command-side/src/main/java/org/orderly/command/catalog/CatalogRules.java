package org.orderly.command.catalog;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/** Field rules the aggregate enforces whoever sends the command; REST checks the same before sending. */
final class CatalogRules {

    static final int MAX_SKU = 64;
    static final int MAX_NAME = 200;
    /** Prices stay below this, so they fit the read model's NUMERIC(19, 4) with room to add them up. */
    static final String PRICE_LIMIT = "1000000000000";
    private static final BigDecimal PRICE_LIMIT_VALUE = new BigDecimal(PRICE_LIMIT);
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private CatalogRules() {
    }

    /** SKUs compare case-insensitively and without surrounding blanks, so they are stored stripped and upper-cased. */
    static String sku(String sku) {
        if (sku == null || sku.isBlank()) {
            throw new RefusedException(Refusal.invalid("sku", "must not be blank"));
        }
        String normalized = sku.strip().toUpperCase(Locale.ROOT);
        if (normalized.length() > MAX_SKU) {
            throw new RefusedException(Refusal.invalid("sku", "must be at most " + MAX_SKU + " characters"));
        }
        if (WHITESPACE.matcher(normalized).find()) {
            throw new RefusedException(Refusal.invalid("sku", "must not contain whitespace"));
        }
        return normalized;
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

    static Money price(Money price) {
        if (price == null) {
            throw new RefusedException(Refusal.invalid("price", "must not be null"));
        }
        if (!price.isPositive()) {
            throw new RefusedException(Refusal.invalid("price", "must be greater than 0"));
        }
        if (price.amount().compareTo(PRICE_LIMIT_VALUE) >= 0) {
            throw new RefusedException(Refusal.invalid("price", "must be less than " + PRICE_LIMIT));
        }
        // Funds, metals and test codes (XAU, XXX...) have no minor unit: not a currency to sell in.
        if (Currency.getInstance(price.currency()).getDefaultFractionDigits() < 0) {
            throw new RefusedException(Refusal.invalid("price", price.currency() + " is not a currency prices can be in"));
        }
        return price;
    }

    static int weightGrams(int weightGrams) {
        if (weightGrams <= 0) {
            throw new RefusedException(Refusal.invalid("weightGrams", "must be greater than 0"));
        }
        return weightGrams;
    }
}
