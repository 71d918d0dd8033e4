package org.orderly.query.payment;

import java.util.List;
import java.util.UUID;

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
import org.orderly.config.web.Problems;
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

    record PaymentListResponse(List<PaymentResponse> items, String nextCursor) {
    }

    @GetMapping("/{paymentId}")
    ResponseEntity<PaymentResponse> get(@PathVariable UUID paymentId) {
        PaymentView view = queries.query(new FindPaymentQuery(new PaymentId(paymentId)),
                ResponseTypes.instanceOf(PaymentView.class)).join();
        if (view == null) {
            throw Problems.notFound("Payment " + paymentId);
        }
        return ETags.ok(view.version()).body(PaymentResponse.of(view));
    }

    @GetMapping
    PaymentListResponse list(@RequestParam(required = false) UUID orderId,
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
