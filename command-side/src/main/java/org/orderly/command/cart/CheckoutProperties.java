package org.orderly.command.cart;

import java.time.Duration;
import java.util.Map;

import org.orderly.api.common.Money;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.checkout.*}.
 *
 * @param sessionTimeout  a checkout session not confirmed this long after it started expires (EXPIRED); a new one
 *                        may then be started from the same cart
 * @param shippingMethods the shipping methods a session may choose, by name, with what each costs
 *                        ({@code orderly.checkout.shipping-methods.EXPRESS.amount=12.90}, {@code ...currency=EUR}); the
 *                        cost must be priced in the cart's currency. None configured: STANDARD at 4.90 EUR and
 *                        EXPRESS at 12.90 EUR
 */
@ConfigurationProperties("orderly.checkout")
public record CheckoutProperties(@DefaultValue("PT15M") Duration sessionTimeout,
                                 Map<String, Money> shippingMethods) {

    /** The methods offered when none are configured. */
    static final Map<String, Money> DEFAULT_METHODS = Map.of(
            "STANDARD", Money.of("4.90", "EUR"),
            "EXPRESS", Money.of("12.90", "EUR"));

    public CheckoutProperties {
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("orderly.checkout.session-timeout must be positive: " + sessionTimeout);
        }
        shippingMethods = shippingMethods == null || shippingMethods.isEmpty() ? DEFAULT_METHODS
                : Map.copyOf(shippingMethods);
    }
}
