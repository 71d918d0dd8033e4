package org.orderly.api.payment;

/**
 * A payment as the read model shows it. {@code AUTHORIZATION_PENDING} lasts while the provider has not
 * answered; an authorization cancelled while pending shows as {@code VOIDED}, since nothing is held.
 */
public enum PaymentStatus { AUTHORIZATION_PENDING, AUTHORIZED, DECLINED, CAPTURED, VOIDED, REFUNDED, PARTIALLY_REFUNDED }
