package org.orderly.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void amountsAreKeptAtTheCurrencysScaleSoEqualSumsAreEqual() {
        assertThat(Money.of("12.5", "EUR")).isEqualTo(Money.of("12.50", "EUR"));
        assertThat(Money.of("12.5", "EUR").amount().toPlainString()).isEqualTo("12.50");
        assertThat(Money.of("1000", "JPY").amount().toPlainString()).isEqualTo("1000");
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRefused() {
        assertThatThrownBy(() -> Money.of("1.001", "EUR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.of("1.5", "JPY")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeOrTinyExponentsFailFastWithoutPrintingTheAmount() {
        assertThatThrownBy(() -> new Money(new BigDecimal("1e999999999"), "EUR"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole digits");
        assertThatThrownBy(() -> new Money(new BigDecimal("1e-999999999"), "EUR"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decimals");
    }

    @Test
    void anUnknownCurrencyIsRefused() {
        assertThatThrownBy(() -> Money.of("1.00", "XXY")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sumsStayInOneCurrency() {
        assertThat(Money.of("1.50", "EUR").times(3).plus(Money.of("7.25", "EUR"))).isEqualTo(Money.of("11.75", "EUR"));
        assertThatThrownBy(() -> Money.of("1.00", "EUR").plus(Money.of("1.00", "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
