package org.orderly.query.order;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.FindOrderQuery;
import org.orderly.api.order.FindOrdersQuery;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderPage;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.order.OrderView;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Order queries over HTTP, answered from the order domain's read model. */
@RestController
@RequestMapping("/api/orders")
class OrderQueryController {

    private final QueryGateway queries;

    OrderQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record LineResponse(String productId, String productName, int quantity, MoneyJson unitPrice) {
    }

    record StatusChangeResponse(String status, Instant at, String reason) {
    }

    record OrderResponse(String orderId, String customerId, String customerEmail, String status,
                         List<LineResponse> lines, MoneyJson total, List<StatusChangeResponse> history, long version) {
        static OrderResponse of(OrderView view) {
            return new OrderResponse(view.orderId().toString(), view.customerId().toString(), view.customerEmail(),
                    view.status().name(),
                    view.lines().stream().map(l -> new LineResponse(l.productId().toString(), l.productName(),
                            l.quantity(), MoneyJson.of(l.unitPrice()))).toList(),
                    MoneyJson.of(view.total()),
                    view.history().stream().map(h -> new StatusChangeResponse(h.status().name(), h.at(), h.reason()))
                            .toList(),
                    view.version());
        }
    }

    record OrderListResponse(List<OrderResponse> items, String nextCursor) {
    }

    @GetMapping("/{orderId}")
    ResponseEntity<OrderResponse> get(@PathVariable UUID orderId) {
        OrderView view = queries.query(new FindOrderQuery(new OrderId(orderId)),
                ResponseTypes.instanceOf(OrderView.class)).join();
        if (view == null) {
            throw Problems.notFound("Order " + orderId);
        }
        return ETags.ok(view.version()).body(OrderResponse.of(view));
    }

    @GetMapping
    OrderListResponse list(@RequestParam(required = false) UUID customerId,
                           @RequestParam(required = false) String status,
                           @RequestParam(required = false) Integer limit,
                           @RequestParam(required = false) String cursor) {
        OrderPage page = queries.query(new FindOrdersQuery(customerId == null ? null : new CustomerId(customerId),
                        status(status), Pagination.limit(limit), Pagination.decode(cursor, OrderId::of)),
                ResponseTypes.instanceOf(OrderPage.class)).join();
        return new OrderListResponse(page.items().stream().map(OrderResponse::of).toList(),
                Pagination.encode(page.next()));
    }

    private static OrderStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(status.strip().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("status", "must be one of " + Arrays.toString(OrderStatus.values()));
        }
    }
}
