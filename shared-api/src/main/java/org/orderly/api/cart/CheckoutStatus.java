package org.orderly.api.cart;

/**
 * Where a checkout session stands. OPEN takes addresses and a shipping method; CONFIRMING has asked for its order,
 * which is being placed, its stock reserved and its payment taken; CONFIRMED has an order that was confirmed (the
 * cart is CHECKED_OUT); FAILED has an order that was refused or rejected, with the reason (the cart stays as it
 * was); EXPIRED went unconfirmed too long. FAILED and EXPIRED sessions change no more: a new checkout is started
 * from the cart.
 */
public enum CheckoutStatus {
    OPEN, CONFIRMING, CONFIRMED, FAILED, EXPIRED
}
