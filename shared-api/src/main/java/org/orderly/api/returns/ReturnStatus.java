package org.orderly.api.returns;

/** REQUESTED is decided at once: APPROVED or REJECTED; an approved return is RECEIVED, then REFUNDED. */
public enum ReturnStatus { REQUESTED, APPROVED, RECEIVED, REFUNDED, REJECTED }
