package org.orderly.config.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import org.orderly.api.common.Money;

/**
 * Money on the wire: {@code {"amount": "12.50", "currency": "EUR"}}. The amount is read from a string or
 * a number and always written as a decimal string, so no client ever parses it as a float.
 */
@Schema(description = "An amount of money: a decimal and its currency")
public record MoneyJson(
        @Schema(types = {"string", "number"}, example = "\"12.50\"", description = "A decimal, written as a string; "
                + "read from a string or a number, never as a float. No more decimals than the currency has.")
        @NotNull @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        @Schema(description = "An ISO 4217 currency code", example = "EUR")
        @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 currency code") String currency) {

    public static MoneyJson of(Money money) {
        return money == null ? null : new MoneyJson(money.amount(), money.currency());
    }

    /** The domain value; an unknown currency or too many decimals is a 400 naming {@code field}. */
    public Money toMoney(String field) {
        try {
            return new Money(amount, currency);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(field, e.getMessage() == null ? "is not a valid amount of money" : e.getMessage());
        }
    }
}
