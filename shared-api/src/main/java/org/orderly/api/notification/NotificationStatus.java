package org.orderly.api.notification;

/** PENDING until sent; FAILED once the last allowed attempt has failed. */
public enum NotificationStatus { PENDING, SENT, FAILED }
