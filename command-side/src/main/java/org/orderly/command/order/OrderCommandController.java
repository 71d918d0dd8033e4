package org.orderly.command.order;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.CancelOrderCommand;
import org.orderly.api.order.OrderId;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ETags;
import org.orderly.config.web.FreeText;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Order commands over HTTP. Placing answers 202: fulfilment goes on asynchronously. */
@RestController
@Tag(name = "Orders", description = "Placing and cancelling orders, and reading them. An order is placed PENDING; "
        + "stock, payment and shipping follow asynchronously (CONFIRMED, SHIPPED, DELIVERED, or REJECTED).")
@RequestMapping("/api/orders")
@EnableConfigurationProperties(OrderProperties.class)
class OrderCommandController {

    private final CommandGateway commands;
    private final OrderPlacement placement;

    OrderCommandController(CommandGateway commands, OrderPlacement placement) {
        this.commands = commands;
        this.placement = placement;
    }

    @Schema(name = "OrderLineRequest")
    record LineRequest(@NotNull UUID productId, @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }

    /** @param customerId the customer ordering; a customer may leave it out (it is then themselves) */
    record PlaceOrderRequest(
            @Schema(description = "The customer ordering; a customer leaves it out (or names themselves)")
            UUID customerId,
            @Schema(description = "One line per product, each product once")
            @NotEmpty @Size(max = Order.MAX_LINES) List<@Valid @NotNull LineRequest> lines) {
    }

    record CancelOrderRequest(@Schema(description = "Why, in the customer's words; tab and line breaks allowed")
                              @FreeText @Size(max = 500) String reason) {
    }

    record OrderAccepted(@Schema(description = "The new order's id", format = "uuid") String orderId) {
    }

    @Operation(operationId = "placeOrder", summary = "Place an order",
            description = """
                    Checks the order against the order domain's copies of the customer and the products, which \
                    follow the customer and catalog domains asynchronously, and stores it as PENDING, with each \
                    product's current name and price. Reserving stock, taking payment and shipping then go on \
                    asynchronously: GET /api/orders/{orderId} shows how it goes (CONFIRMED, or REJECTED with a \
                    reason). A copy that has not caught up with the latest change is a 503 with Retry-After, never \
                    an order placed on stale prices. A customer orders for themselves: another customer's id answers \
                    404, as an id that does not exist.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = {
                    @ExampleObject(name = "byTheCustomer", summary = "A customer ordering two products", value = """
                            {"lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "quantity": 2},
                                       {"productId": "9a1d3c47-2b6e-4f80-8c15-7e3a6b0d2f91", "quantity": 1}]}"""),
                    @ExampleObject(name = "namingTheCustomer", summary = "The customer named (it must be the caller)",
                            value = """
                                    {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91",
                                     "lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "quantity": 1}]}""")}))
    @ApiResponse(responseCode = "202", description = "Stored as PENDING; fulfilment goes on asynchronously",
            headers = @Header(name = "Location", description = "The order, to follow: /api/orders/{orderId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderAccepted.class),
                    examples = @ExampleObject(value = """
                            {"orderId": "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10"}""")))
    @ApiResponse(responseCode = "400", description = "A line is invalid, a product is on two lines, or no customer is named",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "sameProductTwice", summary = "A product on two lines", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "lines[1].productId: appears on more than one line", "instance": "/api/orders",
                             "errors": [{"field": "lines[1].productId", "reason": "appears on more than one line"}]}"""),
                    @ExampleObject(name = "quantityBelowOne", summary = "A quantity of 0", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "lines[0].quantity must be greater than or equal to 1", "instance": "/api/orders",
                             "errors": [{"field": "lines[0].quantity", "reason": "must be greater than or equal to 1"}]}""")}))
    @ApiResponse(responseCode = "404", description = "The customer named is another customer (answered as one that does not exist)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "Customer 3fa85f64-5717-4562-b3fc-2c963f66afa6 does not exist", "instance": "/api/orders"}""")))
    @ApiResponse(responseCode = "422", description = "The order cannot be accepted: the customer is unknown or deactivated, "
            + "a product unknown or discontinued, lines priced in more than one currency, or the total over the credit limit",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "overCreditLimit", summary = "Over the customer's credit limit", value = """
                            {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                             "detail": "The order total 6000.00 EUR exceeds the customer's credit limit 5000.00 EUR",
                             "instance": "/api/orders",
                             "errors": [{"field": "lines", "reason": "The order total 6000.00 EUR exceeds the customer's credit limit 5000.00 EUR"}]}"""),
                    @ExampleObject(name = "discontinuedProduct", summary = "A discontinued product", value = """
                            {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                             "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued", "instance": "/api/orders",
                             "errors": [{"field": "lines[0].productId", "reason": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued"}]}""")}))
    @ApiResponse(responseCode = "503", description = "The order domain's copy of the customer or of a product has not "
            + "caught up with its latest change yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "staleCopy",
                    summary = "A copy behind its source", value = """
                            {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                             "detail": "The order domain has not yet copied the latest changes to this customer or these products; retry shortly",
                             "instance": "/api/orders"}""")))
    @PostMapping
    ResponseEntity<OrderAccepted> place(@Valid @RequestBody PlaceOrderRequest request) {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!seen.add(request.lines().get(i).productId())) {
                throw Problems.badRequest("lines[" + i + "].productId", "appears on more than one line");
            }
        }
        Actor actor = Actors.current();
        UUID customerId = request.customerId() != null ? request.customerId()
                : actor != null && actor.has(Actor.Role.CUSTOMER) ? actor.customerId() : null;
        if (customerId == null) {
            throw Problems.badRequest("customerId", "must be given");
        }
        if (actor != null && !actor.mayAccess(customerId)) {
            // checked again by the order itself; here it keeps the reference lookup from telling whether
            // another customer exists
            throw Problems.notFound("Customer " + customerId);
        }
        OrderId orderId = OrderId.newId();
        commands.sendAndWait(placement.prepare(orderId, new CustomerId(customerId),
                request.lines().stream()
                        .map(l -> new OrderPlacement.RequestedLine(new ProductId(l.productId()), l.quantity()))
                        .toList()));
        return ResponseEntity.accepted()
                .location(URI.create("/api/orders/" + orderId))
                .body(new OrderAccepted(orderId.toString()));
    }

    @Operation(operationId = "cancelOrder", summary = "Cancel an order",
            description = """
                    Cancels a PENDING or CONFIRMED order; its stock reservation and payment are released \
                    asynchronously. Once dispatched it can no longer be cancelled (409). The body, with a reason, \
                    is optional; If-Match (the order's ETag) makes the cancellation conditional on the version read. \
                    Another customer's order answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "202", description = "Cancelled; releasing stock and payment goes on asynchronously")
    @ApiResponse(responseCode = "404", description = "No such order, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "No resource with id 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10",
                             "instance": "/api/orders/0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10/cancellation"}""")))
    @ApiResponse(responseCode = "409", description = "The order is dispatched or already ended, or it changed since "
            + "the If-Match version was read",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "dispatched", summary = "Too late to cancel", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Order 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10 has been dispatched and can no longer be cancelled",
                             "instance": "/api/orders/0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10/cancellation"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/orders/0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10/cancellation",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{orderId}/cancellation")
    ResponseEntity<Void> cancel(@PathVariable UUID orderId,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Valid @RequestBody(required = false) CancelOrderRequest request) {
        commands.sendAndWait(new CancelOrderCommand(new OrderId(orderId),
                request == null ? null : request.reason(), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
