package org.orderly.command.returns;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.returns.ConfirmReturnReceiptCommand;
import org.orderly.api.returns.RequestReturnCommand;
import org.orderly.api.returns.RequestedReturnLine;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnableOrder;
import org.orderly.config.web.ETags;
import org.orderly.config.web.FreeText;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Return commands over HTTP. A request is decided at once (approved or rejected, both 202: the decision is
 * the return's status); restock and refund follow asynchronously once the warehouse confirms receipt.
 */
@RestController
@Tag(name = "Returns", description = "Returning goods of a delivered order: requested, decided, received, restocked and refunded")
@RequestMapping("/api/returns")
class ReturnCommandController {

    private final CommandGateway commands;
    private final JdbcReturnableOrders returnableOrders;

    ReturnCommandController(CommandGateway commands, JdbcReturnableOrders returnableOrders) {
        this.commands = commands;
        this.returnableOrders = returnableOrders;
    }

    @Schema(name = "ReturnLineRequest")
    record LineRequest(@NotNull UUID productId, @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }

    record RequestReturnRequest(@NotNull UUID orderId,
                                @NotEmpty @Size(max = ProductReturn.MAX_LINES) List<@Valid @NotNull LineRequest> lines,
                                @FreeText @NotBlank @Size(max = ProductReturn.MAX_REASON) String reason) {
    }

    record ReturnAccepted(@Schema(description = "The new return's id", format = "uuid") String returnId) {
    }

    @Operation(operationId = "requestReturn", summary = "Request a return",
            description = """
                    A customer asks to return goods of one of their DELIVERED orders. The request is decided at \
                    once, against the returns domain's copy of the order: APPROVED, or REJECTED (past the return \
                    window, more than was delivered), both answered 202; the decision is the return's status, read \
                    with GET /api/returns/{returnId}. Restock and refund follow once the warehouse confirms receipt \
                    (POST /api/returns/{returnId}/receipt). A copy of the order that has not caught up with its \
                    latest change is a 503 with Retry-After. Another customer's order answers 404.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"orderId": "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10",
                     "lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "quantity": 1}],
                     "reason": "The ink is the wrong blue"}""")))
    @ApiResponse(responseCode = "202", description = "Decided (approved or rejected); Location is the return",
            headers = @Header(name = "Location", description = "The return: /api/returns/{returnId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ReturnAccepted.class), examples = @ExampleObject(value = """
                            {"returnId": "c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27"}""")))
    @ApiResponse(responseCode = "400", description = "A line or the reason is missing or invalid, or a product is on "
                + "two lines",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "sameProductTwice", summary = "A product on two lines", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "lines[1].productId: appears on more than one line",
                             "instance": "/api/returns",
                             "errors": [{"field": "lines[1].productId", "reason": "appears on more than one line"}]}"""),
                    @ExampleObject(name = "noReason", summary = "No reason given", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "reason must not be blank",
                             "instance": "/api/returns",
                             "errors": [{"field": "reason", "reason": "must not be blank"}]}""")}))
    @ApiResponse(responseCode = "404", description = "No such order, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Order 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10 does not exist",
                         "instance": "/api/returns"}""")))
    @ApiResponse(responseCode = "409", description = "The order is not DELIVERED: only delivered goods can be returned",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "Order 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10 is SHIPPED: only a DELIVERED order's goods can be returned",
                         "instance": "/api/returns",
                         "errors": [{"field": "orderId", "reason": "Order 0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10 is SHIPPED: only a DELIVERED order's goods can be returned"}]}""")))
    @ApiResponse(responseCode = "503", description = "The returns domain's copy of the order has not caught up with "
                + "its latest change yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "staleCopy", summary = "A copy behind the order", value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The returns domain has not yet copied the latest changes to this order; retry shortly",
                         "instance": "/api/returns"}""")))
    @PostMapping
    ResponseEntity<ReturnAccepted> request(@Valid @RequestBody RequestReturnRequest request) {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!seen.add(request.lines().get(i).productId())) {
                throw Problems.badRequest("lines[" + i + "].productId", "appears on more than one line");
            }
        }
        // The returns domain's own copy of the order, caught up with everything stored before this request.
        ReturnableOrder order = returnableOrders.find(new OrderId(request.orderId()));
        if (order == null || !order.upToDate()) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null,
                    "The returns domain has not yet copied the latest changes to this order; retry shortly"));
        }
        ReturnId returnId = ReturnId.newId();
        commands.sendAndWait(new RequestReturnCommand(returnId, request.lines().stream()
                .map(l -> new RequestedReturnLine(new ProductId(l.productId()), l.quantity())).toList(),
                request.reason(), order));
        return ResponseEntity.accepted()
                .location(URI.create("/api/returns/" + returnId))
                .body(new ReturnAccepted(returnId.toString()));
    }

    /** The warehouse confirms it has the goods; restock and refund follow. */
    @Operation(operationId = "confirmReturnReceipt", summary = "Confirm a return's goods arrived",
            description = """
                    The warehouse confirms it has the goods of an APPROVED return; restocking and the refund follow \
                    asynchronously. Confirming again is harmless. If-Match (the return's ETag) makes it conditional \
                    on the version read.""")
    @ApiResponse(responseCode = "202", description = "Received; restock and refund go on asynchronously")
    @ApiResponse(responseCode = "404", description = "No such return",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27",
                         "instance": "/api/returns/c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27/receipt"}""")))
    @ApiResponse(responseCode = "409", description = "The return was not approved (rejected), or changed since the "
                + "If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "notApproved", summary = "A rejected return", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Return c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27 is REJECTED: there are no goods to receive",
                             "instance": "/api/returns/c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27/receipt"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/returns/c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27/receipt",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{returnId}/receipt")
    ResponseEntity<Void> receive(@PathVariable UUID returnId,
                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new ConfirmReturnReceiptCommand(new ReturnId(returnId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
