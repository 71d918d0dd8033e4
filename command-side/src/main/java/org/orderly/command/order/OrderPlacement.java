package org.orderly.command.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.PlaceOrderCommand;
import org.orderly.command.order.OrderingReference.CopyFreshness;
import org.springframework.stereotype.Component;

/**
 * Turns a client's order request into a {@link PlaceOrderCommand}, checked against the order domain's
 * own cached copies of customers and products ({@link OrderingReferences}) and carrying each line's product name
 * and unit price as they are now.
 *
 * <p>The copies are read once each copy asked for holds every stored event of its customer or
 * product (waiting up to {@code orderly.order-copies.max-wait} for that). Copies still behind after that
 * wait, or a copy processor leaving events waiting longer than {@code orderly.orders.max-copy-lag},
 * refuse the order with 503: orders are never accepted on stale data. A customer or product missing
 * from up-to-date copies does not exist (422).
 */
@Component
class OrderPlacement {

    record RequestedLine(ProductId productId, int quantity) {
    }

    private final OrderingReferences references;
    private final Duration maxCopyLag;

    OrderPlacement(OrderingReferences references, OrderProperties properties) {
        this.references = references;
        this.maxCopyLag = properties.maxCopyLag();
    }

    PlaceOrderCommand prepare(OrderId orderId, CustomerId customerId, List<RequestedLine> requested) {
        return prepare(orderId, customerId, requested, null);
    }

    /** @param shippingCost what shipping costs, which counts towards the credit limit; {@code null} when none */
    PlaceOrderCommand prepare(OrderId orderId, CustomerId customerId, List<RequestedLine> requested,
                              Money shippingCost) {
        OrderingReference reference = references.lookUp(customerId,
                requested.stream().map(RequestedLine::productId).toList());

        if (!reference.upToDate()) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null,
                    "The order domain has not yet copied the latest changes to this customer or these products; retry shortly"));
        }
        requireFresh("customer", reference.customerFreshness());
        requireFresh("product", reference.productFreshness());

        OrderingReference.CustomerCopy customer = reference.customer();
        if (customer == null) {
            throw unprocessable("customerId", "Customer " + customerId + " does not exist");
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
                throw unprocessable(field, "Product " + line.productId() + " does not exist");
            }
            if (product.status() != ProductStatus.ACTIVE) {
                throw unprocessable(field, "Product " + line.productId() + " is discontinued");
            }
            lines.add(new OrderLine(product.productId(), product.name(), line.quantity(), product.price()));
        }
        requireWithinCreditLimit(customer, lines, shippingCost);
        return new PlaceOrderCommand(orderId, customerId, lines);
    }

    private void requireFresh(String copies, CopyFreshness freshness) {
        if (freshness.millisBehind() != null && freshness.millisBehind() > maxCopyLag.toMillis()) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null, "The order domain's " + copies
                    + " data is " + freshness.eventsBehind() + " events behind"
                    + (freshness.millisBehind() == null ? "" : " (" + freshness.millisBehind() + " ms)")
                    + "; retry shortly"));
        }
    }

    private static void requireWithinCreditLimit(OrderingReference.CustomerCopy customer, List<OrderLine> lines,
                                                 Money shippingCost) {
        Money total = null;
        for (OrderLine line : lines) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            if (total != null && !total.currency().equals(lineTotal.currency())) {
                throw unprocessable("lines", "All lines of an order must be priced in one currency");
            }
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        if (shippingCost != null && total != null && shippingCost.currency().equals(total.currency())) {
            total = total.plus(shippingCost);
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

    private static RefusedException unprocessable(String field, String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, field, message));
    }
}
