package org.orderly.command.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.orderly.api.catalog.AttributeType;
import org.orderly.api.catalog.ProductAttribute;
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
    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_ATTRIBUTE_TEXT = 200;
    /** Lower-case letters, digits, '-' and '_': no dot, so {@code attr.<name>.min} in a list's query reads one way. */
    static final String ATTRIBUTE_NAME = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final Pattern ATTRIBUTE_NAME_PATTERN = Pattern.compile(ATTRIBUTE_NAME);
    /** Number attributes stay below this in size, with at most {@link #NUMBER_DECIMALS} decimals. */
    static final BigDecimal NUMBER_LIMIT = new BigDecimal("1000000000000000");
    static final int NUMBER_DECIMALS = 6;

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

    /**
     * The attributes as they are kept: names lower-cased and unique, values in their canonical text, sorted by
     * name so that the same set always reads the same. Each refusal names the field, as {@code attributes[i].value}.
     */
    static List<ProductAttribute> attributes(List<ProductAttribute> attributes) {
        if (attributes == null) {
            throw new RefusedException(Refusal.invalid("attributes", "must not be null"));
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new RefusedException(Refusal.invalid("attributes", "must be at most " + MAX_ATTRIBUTES));
        }
        List<ProductAttribute> kept = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            String field = "attributes[" + i + "]";
            ProductAttribute attribute = attributes.get(i);
            if (attribute == null) {
                throw new RefusedException(Refusal.invalid(field, "must not be null"));
            }
            String name = attributeName(attribute.name(), field + ".name");
            if (!names.add(name)) {
                throw new RefusedException(Refusal.invalid(field + ".name", "names " + name + " a second time"));
            }
            if (attribute.type() == null) {
                throw new RefusedException(Refusal.invalid(field + ".type", "must be one of " + List.of(AttributeType.values())));
            }
            kept.add(new ProductAttribute(name, attribute.type(),
                    attributeValue(attribute.type(), attribute.value(), field + ".value")));
        }
        kept.sort(Comparator.comparing(ProductAttribute::name));
        return List.copyOf(kept);
    }

    static String attributeName(String name, String field) {
        String normalized = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!ATTRIBUTE_NAME_PATTERN.matcher(normalized).matches()) {
            throw new RefusedException(Refusal.invalid(field, "must be 1 to 64 letters, digits, '-' or '_', "
                    + "starting with a letter or digit"));
        }
        return normalized;
    }

    static String attributeValue(AttributeType type, String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RefusedException(Refusal.invalid(field, "must not be blank"));
        }
        String stripped = value.strip();
        return switch (type) {
            case TEXT -> {
                if (stripped.length() > MAX_ATTRIBUTE_TEXT) {
                    throw new RefusedException(Refusal.invalid(field, "must be at most " + MAX_ATTRIBUTE_TEXT + " characters"));
                }
                yield stripped;
            }
            case NUMBER -> number(stripped, field).toPlainString();
            case BOOLEAN -> {
                String lower = stripped.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new RefusedException(Refusal.invalid(field, "must be true or false for a BOOLEAN attribute"));
                }
                yield lower;
            }
        };
    }

    /** A number attribute's value, without trailing zeros; checked for size before anything spells it out. */
    static BigDecimal number(String value, String field) {
        BigDecimal number;
        try {
            number = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new RefusedException(Refusal.invalid(field, "must be a decimal number for a NUMBER attribute"));
        }
        if (number.abs().compareTo(NUMBER_LIMIT) >= 0) {
            throw new RefusedException(Refusal.invalid(field, "must be less than " + NUMBER_LIMIT.toPlainString()
                    + " in size"));
        }
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() > NUMBER_DECIMALS) {
            throw new RefusedException(Refusal.invalid(field, "must have at most " + NUMBER_DECIMALS + " decimals"));
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
