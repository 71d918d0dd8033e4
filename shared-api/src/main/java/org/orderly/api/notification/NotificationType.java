package org.orderly.api.notification;

public enum NotificationType { CUSTOMER_WELCOME, ORDER_CONFIRMED, ORDER_REJECTED, SHIPMENT_DISPATCHED }
