package org.orderly.api.catalog;

/** What a product attribute holds, which decides how it is validated and how a list filters on it. */
public enum AttributeType { TEXT, NUMBER, BOOLEAN }
