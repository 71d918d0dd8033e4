package org.orderly.query.notification;

import java.util.List;
import java.util.UUID;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.FindNotificationsQuery;
import org.orderly.api.notification.NotificationCursor;
import org.orderly.api.notification.NotificationPage;
import org.orderly.api.notification.NotificationView;
import org.orderly.config.web.Pagination;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Notification queries over HTTP, answered from the notification domain's read model. */
@RestController
@RequestMapping("/api/notifications")
class NotificationQueryController {

    private final QueryGateway queries;

    NotificationQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record NotificationResponse(String notificationId, String customerId, String recipient, String type,
                                String status, String createdAt) {
        static NotificationResponse of(NotificationView view) {
            return new NotificationResponse(view.notificationId().toString(),
                    view.customerId() == null ? null : view.customerId().toString(), view.recipient(),
                    view.type().name(), view.status().name(), view.createdAt().toString());
        }
    }

    record NotificationListResponse(List<NotificationResponse> items, String nextCursor) {
    }

    /** Oldest first; {@code customerId} narrows the list to one customer. */
    @GetMapping
    NotificationListResponse list(@RequestParam(required = false) UUID customerId,
                                  @RequestParam(required = false) Integer limit,
                                  @RequestParam(required = false) String cursor) {
        NotificationCursor after = Pagination.decode(cursor, NotificationCursor::of);
        NotificationPage page = queries.query(
                new FindNotificationsQuery(customerId == null ? null : new CustomerId(customerId),
                        Pagination.limit(limit), after),
                ResponseTypes.instanceOf(NotificationPage.class)).join();
        return new NotificationListResponse(page.items().stream().map(NotificationResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
