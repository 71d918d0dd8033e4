package org.orderly.api.catalog;

/**
 * One typed attribute of a product. The value is in its canonical text form: a number as its plain decimal
 * without trailing zeros ({@code 1.5}), a boolean as {@code true} or {@code false}, text as given (stripped).
 */
public record ProductAttribute(String name, AttributeType type, String value) {
}
