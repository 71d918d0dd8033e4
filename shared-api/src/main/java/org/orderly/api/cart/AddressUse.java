package org.orderly.api.cart;

/** What a checkout session uses an address for. */
public enum AddressUse {
    SHIPPING, BILLING
}
