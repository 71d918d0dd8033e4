package org.orderly.query.returns;

import java.util.List;
import java.util.UUID;

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
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Return queries over HTTP, answered from the returns domain's read model. */
@RestController
@RequestMapping("/api/returns")
class ReturnQueryController {

    private final QueryGateway queries;

    ReturnQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    /** @param unitPrice the price snapshotted at placement; {@code null} for a product the order never held */
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

    record ReturnListResponse(List<ReturnResponse> items, String nextCursor) {
    }

    @GetMapping("/{returnId}")
    ResponseEntity<ReturnResponse> get(@PathVariable UUID returnId) {
        ReturnView view = queries.query(new FindReturnQuery(new ReturnId(returnId)),
                ResponseTypes.instanceOf(ReturnView.class)).join();
        if (view == null) {
            throw Problems.notFound("Return " + returnId);
        }
        return ETags.ok(view.version()).body(ReturnResponse.of(view));
    }

    @GetMapping
    ReturnListResponse list(@RequestParam(required = false) UUID orderId,
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
