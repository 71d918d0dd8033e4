package org.orderly.api.catalog;

public enum ProductStatus { ACTIVE, DISCONTINUED }
