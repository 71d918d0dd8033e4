package org.orderly.command.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.api.order.FindOrderingReferenceQuery;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderingReference;
import org.orderly.api.order.OrderingReference.CopyFreshness;
import org.orderly.api.order.PlaceOrderCommand;
import org.springframework.stereotype.Component;

/**
 * Turns a client's order request into a {@link PlaceOrderCommand}, checked against the order domain's
 * own cached copies of customers and products (asked for through the query bus, so the two sides stay
 * independent) and carrying each line's product name and unit price as they are now.
 *
 * <p>A copy that is missing while its processor is still catching up, or a copy processor further
 * behind than {@code orderly.orders.max-copy-lag}, makes the order wait (503): the answer might change
 * once the copies are fresh. A copy that is missing from up-to-date copies means the customer or
 * product does not exist (422).
 */
@Component
class OrderPlacement {

    record RequestedLine(ProductId productId, int quantity) {
    }

    private final QueryGateway queries;
    private final Duration maxCopyLag;

    OrderPlacement(QueryGateway queries, OrderProperties properties) {
        this.queries = queries;
        this.maxCopyLag = properties.maxCopyLag();
    }

    PlaceOrderCommand prepare(OrderId orderId, CustomerId customerId, List<RequestedLine> requested) {
        OrderingReference reference = queries.query(
                new FindOrderingReferenceQuery(customerId, requested.stream().map(RequestedLine::productId).toList()),
                ResponseTypes.instanceOf(OrderingReference.class)).join();

        requireFresh("customer", reference.customerFreshness());
        requireFresh("product", reference.productFreshness());

        OrderingReference.CustomerCopy customer = reference.customer();
        if (customer == null) {
            throw missing(reference.customerFreshness(), "customerId", "Customer " + customerId + " does not exist");
        }
        if (customer.status() != CustomerStatus.ACTIVE) {
            throw unprocessable("customerId", "Customer " + customerId + " is deactivated");
        }

        Map<ProductId, OrderingReference.ProductCopy> products = reference.products().stream()
                .collect(Collectors.toMap(OrderingReference.ProductCopy::productId, Function.identity()));
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            RequestedLine line = requested.get(i);
            String field = "lines[" + i + "].productId";
            OrderingReference.ProductCopy product = products.get(line.productId());
            if (product == null) {
                throw missing(reference.productFreshness(), field, "Product " + line.productId() + " does not exist");
            }
            if (product.status() != ProductStatus.ACTIVE) {
                throw unprocessable(field, "Product " + line.productId() + " is discontinued");
            }
            lines.add(new OrderLine(product.productId(), product.name(), line.quantity(), product.price()));
        }
        requireWithinCreditLimit(customer, lines);
        return new PlaceOrderCommand(orderId, customerId, lines);
    }

    private void requireFresh(String copies, CopyFreshness freshness) {
        boolean stale = freshness.millisBehind() != null
                ? freshness.millisBehind() > maxCopyLag.toMillis()
                : freshness.eventsBehind() > 0;
        if (stale) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null, "The order domain's " + copies
                    + " data is " + freshness.eventsBehind() + " events behind; retry shortly"));
        }
    }

    private static void requireWithinCreditLimit(OrderingReference.CustomerCopy customer, List<OrderLine> lines) {
        Money total = null;
        for (OrderLine line : lines) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            if (total != null && !total.currency().equals(lineTotal.currency())) {
                throw unprocessable("lines", "All lines of an order must be priced in one currency");
            }
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        Money limit = customer.creditLimit();
        if (limit == null || total == null) {
            return;
        }
        if (!limit.currency().equals(total.currency())) {
            throw unprocessable("lines", "The order is priced in " + total.currency()
                    + " but the customer's credit limit is in " + limit.currency());
        }
        if (total.isGreaterThan(limit)) {
            throw unprocessable("lines", "The order total " + total + " exceeds the customer's credit limit " + limit);
        }
    }

    private static RefusedException missing(CopyFreshness freshness, String field, String message) {
        if (freshness.eventsBehind() > 0) {
            return new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, field,
                    message + " in the order domain's data yet; retry shortly"));
        }
        return unprocessable(field, message);
    }

    private static RefusedException unprocessable(String field, String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, field, message));
    }
}
