package org.orderly.query.payment;

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
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.FindPaymentQuery;
import org.orderly.api.payment.FindPaymentsQuery;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentPage;
import org.orderly.api.payment.PaymentView;
import org.orderly.config.web.ETags;
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

/**
 * Payment queries over HTTP, answered from the payment domain's read model. Payments have no command
 * endpoint: the order process drives them.
 */
@RestController
@Tag(name = "Payments", description = "Payments of orders, driven by the order process (no client changes them)")
@ReadsFrom(PaymentProjection.PROCESSING_GROUP)
@RequestMapping("/api/payments")
class PaymentQueryController {

    private final QueryGateway queries;

    PaymentQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    /** The amount as a decimal string, so that no client reads it into a float. */
    record MoneyResponse(String amount, String currency) {
        static MoneyResponse of(Money money) {
            return new MoneyResponse(money.amount().toPlainString(), money.currency());
        }
    }

    record PaymentResponse(String paymentId, String orderId, MoneyResponse amount, String status,
                           MoneyResponse refunded) {
        static PaymentResponse of(PaymentView view) {
            return new PaymentResponse(view.paymentId().toString(), view.orderId().toString(),
                    MoneyResponse.of(view.amount()), view.status().name(), MoneyResponse.of(view.refunded()));
        }
    }

    record PaymentListResponse(List<PaymentResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getPayment", summary = "Read a payment",
            description = """
                    An order's payment: authorised once its stock is reserved, captured once it is delivered; its \
                    authorisation is cancelled if the order is, and returned goods are refunded. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet. \
                    Another customer's payment answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The payment",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such payment, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Payment e2a7c5d9-0f4b-4a36-9c81-3d6b8e1f5a02 does not exist",
                         "instance": "/api/payments/e2a7c5d9-0f4b-4a36-9c81-3d6b8e1f5a02"}""")))
    @GetMapping("/{paymentId}")
    ResponseEntity<PaymentResponse> get(@PathVariable UUID paymentId) {
        PaymentView view = queries.query(new FindPaymentQuery(new PaymentId(paymentId)),
                ResponseTypes.instanceOf(PaymentView.class)).join();
        if (view == null) {
            throw Problems.notFound("Payment " + paymentId);
        }
        return ETags.ok(view.version()).body(PaymentResponse.of(view));
    }

    @Operation(operationId = "listPayments", summary = "List payments",
            description = """
                    By cursor, narrowed to an order. A customer sees only their own. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @GetMapping
    PaymentListResponse list(@Parameter(description = "Only this order's payments")
                             @RequestParam(required = false) UUID orderId,
                             @RequestParam(required = false) Integer limit,
                             @RequestParam(required = false) String cursor) {
        PaymentId after = Pagination.decode(cursor, PaymentId::of);
        PaymentPage page = queries.query(new FindPaymentsQuery(orderId == null ? null : new OrderId(orderId),
                        Pagination.limit(limit), after),
                ResponseTypes.instanceOf(PaymentPage.class)).join();
        return new PaymentListResponse(page.items().stream().map(PaymentResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
