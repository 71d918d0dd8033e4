package org.orderly.command.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/** The placement rules, decided on a chosen reference (the copies as they would be read). */
class OrderPlacementTest {

    private static final CopyFreshness FRESH = new CopyFreshness(0, 0L);
    private final CustomerId customerId = CustomerId.newId();
    private final ProductId pen = ProductId.newId();
    private final AtomicReference<OrderingReference> reference = new AtomicReference<>();
    private OrderPlacement placement;

    @BeforeEach
    void setUp() {
        placement = new OrderPlacement((customer, products) -> reference.get(),
                new OrderProperties(Duration.ofSeconds(5)));
    }

    @Test
    void linesCarryTheNameAndPriceOfTheCopiesAtPlacement() {
        serve(customer(CustomerStatus.ACTIVE, "100.00"), List.of(product(ProductStatus.ACTIVE)), FRESH, FRESH);

        PlaceOrderCommand command = place(2);

        assertThat(command.lines()).containsExactly(new OrderLine(pen, "Pen", 2, Money.of("1.50", "EUR")));
    }

    @Test
    void aCopyProcessorLeavingEventsWaitingBeyondTheBoundRefusesTheOrderAsUnavailable() {
        serve(customer(CustomerStatus.ACTIVE, "100.00"), List.of(product(ProductStatus.ACTIVE)), FRESH,
                new CopyFreshness(12, 6_000L));

        assertRefused(() -> place(1), Refusal.Kind.UNAVAILABLE, null);
    }

    @Test
    void copiesThatHaveNotYetAppliedTheLatestChangesRefuseTheOrderAsUnavailable() {
        reference.set(new OrderingReference(customer(CustomerStatus.ACTIVE, "100.00"),
                List.of(product(ProductStatus.ACTIVE)), false, FRESH, FRESH));

        assertRefused(() -> place(1), Refusal.Kind.UNAVAILABLE, null);
    }

    @Test
    void aMissingCustomerInUpToDateCopiesIsUnprocessable() {
        serve(null, List.of(product(ProductStatus.ACTIVE)), FRESH, FRESH);

        assertRefused(() -> place(1), Refusal.Kind.UNPROCESSABLE, "customerId");
    }

    @Test
    void aDeactivatedCustomerIsUnprocessable() {
        serve(customer(CustomerStatus.DEACTIVATED, "100.00"), List.of(product(ProductStatus.ACTIVE)), FRESH, FRESH);

        assertRefused(() -> place(1), Refusal.Kind.UNPROCESSABLE, "customerId");
    }

    @Test
    void aDiscontinuedProductIsUnprocessableNamingItsLine() {
        serve(customer(CustomerStatus.ACTIVE, "100.00"), List.of(product(ProductStatus.DISCONTINUED)), FRESH, FRESH);

        assertRefused(() -> place(1), Refusal.Kind.UNPROCESSABLE, "lines[0].productId");
    }

    @Test
    void anOrderAboveTheCreditLimitIsUnprocessable() {
        serve(customer(CustomerStatus.ACTIVE, "2.00"), List.of(product(ProductStatus.ACTIVE)), FRESH, FRESH);

        assertRefused(() -> place(2), Refusal.Kind.UNPROCESSABLE, "lines");
    }

    private PlaceOrderCommand place(int quantity) {
        return placement.prepare(OrderId.newId(), customerId, List.of(new OrderPlacement.RequestedLine(pen, quantity)));
    }

    private void serve(OrderingReference.CustomerCopy customer, List<OrderingReference.ProductCopy> products,
                       CopyFreshness customers, CopyFreshness productFreshness) {
        reference.set(new OrderingReference(customer, products, true, customers, productFreshness));
    }

    private OrderingReference.CustomerCopy customer(CustomerStatus status, String limit) {
        return new OrderingReference.CustomerCopy(customerId, "ada@example.com", status, Money.of(limit, "EUR"), 7);
    }

    private OrderingReference.ProductCopy product(ProductStatus status) {
        return new OrderingReference.ProductCopy(pen, "Pen", Money.of("1.50", "EUR"), status, 9);
    }

    private static void assertRefused(Runnable action, Refusal.Kind kind, String field) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal().kind()).isEqualTo(kind);
                    assertThat(e.refusal().field()).isEqualTo(field);
                });
    }

}
