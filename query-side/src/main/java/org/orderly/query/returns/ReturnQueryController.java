package org.orderly.query.returns;

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
import org.orderly.api.order.OrderId;
import org.orderly.api.returns.FindReturnQuery;
import org.orderly.api.returns.FindReturnsQuery;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnPage;
import org.orderly.api.returns.ReturnView;
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

/** Return queries over HTTP, answered from the returns domain's read model. */
@RestController
@Tag(name = "Returns")
@ReadsFrom(ReturnProjection.PROCESSING_GROUP)
@RequestMapping("/api/returns")
class ReturnQueryController {

    private final QueryGateway queries;

    ReturnQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    /** @param unitPrice the price snapshotted at placement; {@code null} for a product the order never held */
    @Schema(name = "ReturnLineResponse")
    record LineResponse(String productId, int quantity, MoneyJson unitPrice) {
        static LineResponse of(ReturnLine line) {
            return new LineResponse(line.productId().toString(), line.quantity(),
                    line.unitPrice() == null ? null : MoneyJson.of(line.unitPrice()));
        }
    }

    record ReturnResponse(String returnId, String orderId, String status, String reason, List<LineResponse> lines,
                          MoneyJson refund, String rejectionReason, long version) {
        static ReturnResponse of(ReturnView view) {
            return new ReturnResponse(view.returnId().toString(), view.orderId().toString(), view.status().name(),
                    view.reason(), view.lines().stream().map(LineResponse::of).toList(),
                    view.refund() == null ? null : MoneyJson.of(view.refund()), view.rejectionReason(), view.version());
        }
    }

    record ReturnListResponse(List<ReturnResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getReturn", summary = "Read a return",
            description = """
                    The return's status (APPROVED or REJECTED with its reason, then RECEIVED, REFUNDED), lines and \
                    refund. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet. Another customer's return answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The return",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such return, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Return c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27 does not exist",
                         "instance": "/api/returns/c4b8e2f1-7a3d-4e69-b052-8f1d6a9c3e27"}""")))
    @GetMapping("/{returnId}")
    ResponseEntity<ReturnResponse> get(@PathVariable UUID returnId) {
        ReturnView view = queries.query(new FindReturnQuery(new ReturnId(returnId)),
                ResponseTypes.instanceOf(ReturnView.class)).join();
        if (view == null) {
            throw Problems.notFound("Return " + returnId);
        }
        return ETags.ok(view.version()).body(ReturnResponse.of(view));
    }

    @Operation(operationId = "listReturns", summary = "List returns",
            description = """
                    By cursor, narrowed to an order. A customer sees only their own. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @GetMapping
    ReturnListResponse list(@Parameter(description = "Only this order's returns")
                            @RequestParam(required = false) UUID orderId,
                            @RequestParam(required = false) Integer limit,
                            @RequestParam(required = false) String cursor) {
        ReturnId after = Pagination.decode(cursor, ReturnId::of);
        ReturnPage page = queries.query(new FindReturnsQuery(orderId == null ? null : new OrderId(orderId),
                        Pagination.limit(limit), after),
                ResponseTypes.instanceOf(ReturnPage.class)).join();
        return new ReturnListResponse(page.items().stream().map(ReturnResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
