package org.orderly.api.customer;

public enum CustomerStatus { ACTIVE, DEACTIVATED }
