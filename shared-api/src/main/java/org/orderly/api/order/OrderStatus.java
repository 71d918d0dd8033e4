package org.orderly.api.order;

public enum OrderStatus { PENDING, CONFIRMED, SHIPPED, DELIVERED, REJECTED, CANCELLED }
