package org.orderly.api.cart;

/**
 * ACTIVE while the customer fills it; EXPIRED after {@code orderly.cart.idle-timeout} without a change; CHECKED_OUT
 * once an order was placed from it. Only an ACTIVE cart changes.
 */
public enum CartStatus { ACTIVE, EXPIRED, CHECKED_OUT }
