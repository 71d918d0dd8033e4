package org.orderly.api.catalog;

import java.math.BigDecimal;

/**
 * A condition on one attribute of a product list: its value equals {@code equalTo} (text, a number compared as a
 * number, or a boolean), and/or it is a number within {@code min}..{@code max} (inclusive); null parts do not apply.
 */
public record AttributeFilter(String name, String equalTo, BigDecimal min, BigDecimal max) {
}
