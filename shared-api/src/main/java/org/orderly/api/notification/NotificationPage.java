package org.orderly.api.notification;

import java.util.List;

/** @param next the position to continue after, or {@code null} on the last page */
public record NotificationPage(List<NotificationView> items, NotificationCursor next) {
}
