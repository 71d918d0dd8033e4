package org.orderly.api.customer;

/** ERASED: the customer asked to be forgotten; their record remains, without personal data. */
public enum CustomerStatus { ACTIVE, DEACTIVATED, ERASED }
