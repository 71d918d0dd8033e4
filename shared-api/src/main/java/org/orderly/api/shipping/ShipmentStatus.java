package org.orderly.api.shipping;

public enum ShipmentStatus { CREATED, DISPATCHED, DELIVERED }
