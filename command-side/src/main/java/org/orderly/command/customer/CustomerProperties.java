package org.orderly.command.customer;

import java.math.BigDecimal;

import org.orderly.api.common.Money;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.customers.*}.
 *
 * @param defaultCreditLimitAmount   credit limit of a customer registered without one
 * @param defaultCreditLimitCurrency its currency
 */
@ConfigurationProperties("orderly.customers")
record CustomerProperties(@DefaultValue("5000.00") BigDecimal defaultCreditLimitAmount,
                          @DefaultValue("EUR") String defaultCreditLimitCurrency) {

    Money defaultCreditLimit() {
        return new Money(defaultCreditLimitAmount, defaultCreditLimitCurrency);
    }
}
