package org.orderly.query.order;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.FindOrderQuery;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.FindOrdersQuery;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderPage;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.OrderView;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Order queries over HTTP, answered from the order domain's read model. */
@RestController
@Tag(name = "Orders")
@ReadsFrom(OrderProjection.PROCESSING_GROUP)
@RequestMapping("/api/orders")
class OrderQueryController {

    private final QueryGateway queries;

    OrderQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @Schema(name = "OrderLineResponse")
    record LineResponse(String productId, String productName, int quantity, MoneyJson unitPrice) {
    }

    record StatusChangeResponse(String status, Instant at, String reason) {
    }

    @Schema(name = "OrderAddressResponse", description = "A copy of one of the customer's addresses, as it read when "
            + "the checkout chose it")
    record AddressResponse(String recipientName, String line1,
                           @Schema(types = {"string", "null"}) String line2, String postalCode, String city,
                           @Schema(types = {"string", "null"}) String region, String country,
                           @Schema(types = {"string", "null"}) String phone) {
        static AddressResponse of(PostalAddress address) {
            return address == null ? null : new AddressResponse(address.recipientName(), address.line1(),
                    address.line2(), address.postalCode(), address.city(), address.region(), address.country(),
                    address.phone());
        }
    }

    record OrderResponse(String orderId, String customerId, String customerEmail, String status,
                         List<LineResponse> lines,
                         @Schema(description = "The lines and the shipping cost") MoneyJson total,
                         List<StatusChangeResponse> history, long version,
                         @Schema(types = {"object", "null"}, description = "Where an order placed from a checkout "
                                 + "ships; null for one placed directly") AddressResponse shippingAddress,
                         @Schema(types = {"object", "null"}, description = "Whom an order placed from a checkout "
                                 + "bills; null for one placed directly") AddressResponse billingAddress,
                         @Schema(types = {"object", "null"}, description = "What shipping costs; null for an order "
                                 + "placed directly") MoneyJson shippingCost) {
        static OrderResponse of(OrderView view) {
            return new OrderResponse(view.orderId().toString(), view.customerId().toString(), view.customerEmail(),
                    view.status().name(),
                    view.lines().stream().map(l -> new LineResponse(l.productId().toString(), l.productName(),
                            l.quantity(), MoneyJson.of(l.unitPrice()))).toList(),
                    MoneyJson.of(view.total()),
                    view.history().stream().map(h -> new StatusChangeResponse(h.status().name(), h.at(), h.reason()))
                            .toList(),
                    view.version(), AddressResponse.of(view.shippingAddress()),
                    AddressResponse.of(view.billingAddress()),
                    view.shippingCost() == null ? null : MoneyJson.of(view.shippingCost()));
        }
    }

    record OrderListResponse(List<OrderResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getOrder", summary = "Read an order",
            description = """
                    The order with its lines (name and price as placed), total and status history. A customer \
                    reads their own orders; staff read any. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet. \
                    Another customer's order answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The order",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderResponse.class), examples = @ExampleObject(value = """
                            {"orderId": "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10",
                             "customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91", "customerEmail": "ada@example.com",
                             "status": "CONFIRMED",
                             "lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
                                        "productName": "Blue fountain pen", "quantity": 2,
                                        "unitPrice": {"amount": "12.50", "currency": "EUR"}}],
                             "total": {"amount": "25.00", "currency": "EUR"},
                             "history": [{"status": "PENDING", "at": "2026-05-17T09:30:00Z"},
                                         {"status": "CONFIRMED", "at": "2026-05-17T09:30:01Z"}],
                             "version": 3}""")))
    @ApiResponse(responseCode = "404", description = "No such order, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Order 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10 does not exist",
                         "instance": "/api/orders/0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10"}""")))
    @GetMapping("/{orderId}")
    @AuditedPersonalData
    ResponseEntity<OrderResponse> get(@PathVariable UUID orderId) {
        OrderView view = queries.query(new FindOrderQuery(new OrderId(orderId)),
                ResponseTypes.instanceOf(OrderView.class)).join();
        if (view == null) {
            throw Problems.notFound("Order " + orderId);
        }
        return ETags.ok(view.version()).body(OrderResponse.of(view));
    }

    @Operation(operationId = "listOrders", summary = "List orders",
            description = """
                    In id order, by cursor; narrowed to a customer or a status. A customer sees only their own. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "400", description = "status is not an order status",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "status: must be one of [PENDING, CONFIRMED, SHIPPED, DELIVERED, REJECTED, CANCELLED]",
                         "instance": "/api/orders",
                         "errors": [{"field": "status", "reason": "must be one of [PENDING, CONFIRMED, SHIPPED, DELIVERED, REJECTED, CANCELLED]"}]}""")))
    @GetMapping
    @AuditedPersonalData
    OrderListResponse list(@Parameter(description = "Only this customer's orders")
                           @RequestParam(required = false) UUID customerId,
                           @Parameter(description = "Only orders in this status (any case)")
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
