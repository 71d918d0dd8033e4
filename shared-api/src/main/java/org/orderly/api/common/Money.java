package org.orderly.api.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in one ISO 4217 currency, as a decimal: never a float. Amounts are kept at the currency's
 * scale (2 for EUR), so equal sums compare equal.
 */
public record Money(BigDecimal amount, String currency) implements Comparable<Money> {

    /** Whole digits an amount may have: far above any real price, and small enough to stay cheap. */
    public static final int MAX_WHOLE_DIGITS = 15;

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        int scale = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        BigDecimal stripped = amount.stripTrailingZeros();
        // Checked before any rescaling or printing: 1e999999999 must fail fast, not allocate a billion digits.
        // In long arithmetic: precision - scale overflows an int for 1e2147483647.
        if ((long) stripped.precision() - stripped.scale() > MAX_WHOLE_DIGITS) {
            throw new IllegalArgumentException("amount must have at most " + MAX_WHOLE_DIGITS + " whole digits");
        }
        if (stripped.scale() > scale) {
            throw new IllegalArgumentException("amount has more decimals than " + currency + " allows (" + scale + ")");
        }
        amount = amount.setScale(scale, RoundingMode.UNNECESSARY);
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    public static Money zero(String currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money times(int quantity) {
        return new Money(amount.multiply(BigDecimal.valueOf(quantity)), currency);
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot combine " + currency + " with " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
