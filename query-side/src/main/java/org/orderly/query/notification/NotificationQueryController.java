package org.orderly.query.notification;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Schema;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.FindNotificationsQuery;
import org.orderly.api.notification.NotificationCursor;
import org.orderly.api.notification.NotificationPage;
import org.orderly.api.notification.NotificationView;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ReadsFrom;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Notification queries over HTTP, answered from the notification domain's read model. */
@RestController
@Tag(name = "Notifications", description = "Messages to customers, sent as orders and shipments progress")
@ReadsFrom(NotificationProjection.PROCESSING_GROUP)
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

    record NotificationListResponse(List<NotificationResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    /** Oldest first; {@code customerId} narrows the list to one customer. */
    @Operation(operationId = "listNotifications", summary = "List notifications",
            description = """
                    The messages sent to customers (welcome, order confirmed or rejected, shipment dispatched) and \
                    whether they went out; oldest first, by cursor. A customer sees only their own. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @GetMapping
    @AuditedPersonalData
    NotificationListResponse list(@Parameter(description = "Only this customer's notifications")
                                  @RequestParam(required = false) UUID customerId,
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
