package org.orderly.command.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.Test;
import org.orderly.api.cart.AddressUse;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CheckoutAddressChosenEvent;
import org.orderly.api.cart.CheckoutConfirmationRequestedEvent;
import org.orderly.api.cart.CheckoutConfirmedEvent;
import org.orderly.api.cart.CheckoutExpiredEvent;
import org.orderly.api.cart.CheckoutFailedEvent;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CheckoutShippingMethodChosenEvent;
import org.orderly.api.cart.CheckoutStartedEvent;
import org.orderly.api.cart.ChooseCheckoutAddressCommand;
import org.orderly.api.cart.ChooseCheckoutShippingMethodCommand;
import org.orderly.api.cart.CompleteCheckoutCommand;
import org.orderly.api.cart.ConfirmCheckoutCommand;
import org.orderly.api.cart.FailCheckoutCommand;
import org.orderly.api.cart.StartCheckoutCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

class CheckoutTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final Instant STARTED_AT = Instant.parse("2026-12-05T10:00:00Z");

    private final CustomerId customerId = CustomerId.newId();
    private final CartId cartId = CartId.forCustomer(customerId, 0);
    private final CheckoutId checkoutId = CheckoutId.newId();
    private final Map<String, String> asCustomer = Actor.customer("sub", customerId.value()).toMetaData();
    private final Map<String, String> asAnotherCustomer = Actor.customer("other", CustomerId.newId().value()).toMetaData();
    private final List<CartLine> lines = List.of(new CartLine(ProductId.newId(), 2, Money.of("10.00", "EUR")));
    private final Money itemsTotal = Money.of("20.00", "EUR");
    private final AddressId home = AddressId.newId();
    private final PostalAddress homeAddress = new PostalAddress("Ada", "1 Road", null, "10115", "Berlin", null, "DE",
            null);
    private final Money express = Money.of("12.90", "EUR");

    private AggregateTestFixture<Checkout> fixture() {
        AggregateTestFixture<Checkout> fixture = new AggregateTestFixture<>(Checkout.class);
        fixture.registerInjectableResource(new CheckoutProperties(TIMEOUT, null));
        return fixture;
    }

    private Object asCustomer(Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(asCustomer);
    }

    private CheckoutStartedEvent started() {
        return new CheckoutStartedEvent(checkoutId, cartId, customerId, lines, itemsTotal, STARTED_AT.plus(TIMEOUT),
                "deadline-0");
    }

    private Object[] ready() {
        return new Object[]{started(),
                new CheckoutAddressChosenEvent(checkoutId, customerId, AddressUse.SHIPPING, home, homeAddress),
                new CheckoutAddressChosenEvent(checkoutId, customerId, AddressUse.BILLING, home, homeAddress),
                new CheckoutShippingMethodChosenEvent(checkoutId, "EXPRESS", express)};
    }

    private CheckoutConfirmationRequestedEvent confirming() {
        return new CheckoutConfirmationRequestedEvent(checkoutId, cartId, customerId, checkoutId.orderId());
    }

    @Test
    void aStartedSessionSnapshotsTheCartAndExpiresAfterTheSessionTimeout() {
        fixture().givenCurrentTime(STARTED_AT)
                .when(new StartCheckoutCommand(checkoutId, cartId, customerId, lines, itemsTotal), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        event(CheckoutStartedEvent.class, e -> e.lines().equals(lines) && e.itemsTotal().equals(itemsTotal)
                                && e.expiresAt().equals(STARTED_AT.plus(TIMEOUT)) && e.expiryDeadlineId() != null))))
                .expectScheduledDeadline(TIMEOUT, new CheckoutExpiryDeadline(STARTED_AT.plus(TIMEOUT)));
    }

    @Test
    void noOneStartsACheckoutFromAnotherCustomersCartNorFromAnEmptyOne() {
        fixture().givenNoPriorActivity()
                .when(new StartCheckoutCommand(checkoutId, cartId, customerId, lines, itemsTotal), asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoScheduledDeadlines();
        fixture().givenNoPriorActivity()
                .when(new StartCheckoutCommand(checkoutId, cartId, customerId, List.of(), null), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, "cartId"))
                .expectNoScheduledDeadlines();
    }

    @Test
    void choosingAnAddressCopiesItForItsUse() {
        fixture().given(started())
                .when(new ChooseCheckoutAddressCommand(checkoutId, AddressUse.BILLING, home, homeAddress), asCustomer)
                .expectEvents(new CheckoutAddressChosenEvent(checkoutId, customerId, AddressUse.BILLING, home,
                        homeAddress));
    }

    @Test
    void anAddressTheCustomerDoesNotHaveIsRefused() {
        fixture().given(started())
                .when(new ChooseCheckoutAddressCommand(checkoutId, AddressUse.SHIPPING, home, null), asCustomer)
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "addressId"))
                .expectNoEvents();
    }

    @Test
    void anotherCustomerCannotChangeTheSessionWhichForThemDoesNotExist() {
        fixture().given(started())
                .when(new ChooseCheckoutAddressCommand(checkoutId, AddressUse.SHIPPING, home, null),
                        asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
        fixture().given(ready())
                .when(new ConfirmCheckoutCommand(checkoutId), asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void aShippingMethodIsChosenAtItsCostInTheCartsCurrencyOnly() {
        fixture().given(started())
                .when(new ChooseCheckoutShippingMethodCommand(checkoutId, "EXPRESS", express), asCustomer)
                .expectEvents(new CheckoutShippingMethodChosenEvent(checkoutId, "EXPRESS", express));
        fixture().given(started())
                .when(new ChooseCheckoutShippingMethodCommand(checkoutId, "EXPRESS", Money.of("9.00", "GBP")), asCustomer)
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "method"))
                .expectNoEvents();
    }

    @Test
    void confirmationNeedsBothAddressesAndAShippingMethod() {
        fixture().given(started())
                .when(new ConfirmCheckoutCommand(checkoutId), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, "shippingAddress"))
                .expectNoEvents();
        fixture().given(ready()[0], ready()[1], ready()[2])
                .when(new ConfirmCheckoutCommand(checkoutId), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, "shippingMethod"))
                .expectNoEvents();
    }

    @Test
    void confirmingAsksForTheOrderDerivedFromTheSessionWithItsAddressesAndShippingCost() {
        fixture().given(ready())
                .when(new ConfirmCheckoutCommand(checkoutId), asCustomer)
                .expectEvents(confirming())
                .expectResultMessagePayload(new CheckoutOrder(checkoutId.orderId(), cartId, customerId, lines,
                        homeAddress, homeAddress, express));
    }

    @Test
    void confirmingAgainAnswersTheSameOrderAndRecordsNothing() {
        fixture().given(ready()).andGiven(confirming())
                .when(new ConfirmCheckoutCommand(checkoutId), asCustomer)
                .expectNoEvents()
                .expectResultMessagePayloadMatching(new TypeSafeMatcher<>() {
                    @Override
                    protected boolean matchesSafely(Object payload) {
                        return payload instanceof CheckoutOrder order && order.orderId().equals(checkoutId.orderId());
                    }

                    @Override
                    public void describeTo(Description description) {
                        description.appendText("the session's one order");
                    }
                });
        assertThat(checkoutId.orderId()).isEqualTo(CheckoutId.of(checkoutId.toString()).orderId());
        assertThat(CheckoutId.newId().orderId()).isNotEqualTo(checkoutId.orderId());
    }

    @Test
    void aConfirmedOrderCompletesTheSessionOnceAndARejectedOneFailsItWithTheReason() {
        fixture().given(ready()).andGiven(confirming())
                .when(new CompleteCheckoutCommand(checkoutId))
                .expectEvents(new CheckoutConfirmedEvent(checkoutId, cartId, checkoutId.orderId()));
        fixture().given(ready()).andGiven(confirming(), new CheckoutConfirmedEvent(checkoutId, cartId,
                        checkoutId.orderId()))
                .when(new CompleteCheckoutCommand(checkoutId))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture().given(ready()).andGiven(confirming())
                .when(new FailCheckoutCommand(checkoutId, "out of stock"))
                .expectEvents(new CheckoutFailedEvent(checkoutId, cartId, "out of stock"));
        fixture().given(ready())
                .when(new CompleteCheckoutCommand(checkoutId))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aFailedSessionChangesNoMoreAndCannotBeConfirmedAgain() {
        fixture().given(ready()).andGiven(confirming(), new CheckoutFailedEvent(checkoutId, cartId, "declined"))
                .when(new ConfirmCheckoutCommand(checkoutId), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void anUnconfirmedSessionExpiresThroughItsDeadlineAndThenChangesNoMore() {
        fixture().givenCurrentTime(STARTED_AT)
                .andGivenCommands(asCustomer(new StartCheckoutCommand(checkoutId, cartId, customerId, lines, itemsTotal)))
                .whenTimeElapses(TIMEOUT.plusSeconds(1))
                .expectTriggeredDeadlinesWithName(Checkout.EXPIRY_DEADLINE)
                .expectEvents(new CheckoutExpiredEvent(checkoutId, cartId));
        fixture().given(started(), new CheckoutExpiredEvent(checkoutId, cartId))
                .when(new ChooseCheckoutShippingMethodCommand(checkoutId, "EXPRESS", express), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aConfirmedSessionNeverExpires() {
        fixture().givenCurrentTime(STARTED_AT)
                .andGivenCommands(asCustomer(new StartCheckoutCommand(checkoutId, cartId, customerId, lines, itemsTotal)),
                        asCustomer(new ChooseCheckoutAddressCommand(checkoutId, AddressUse.SHIPPING, home, homeAddress)),
                        asCustomer(new ChooseCheckoutAddressCommand(checkoutId, AddressUse.BILLING, home, homeAddress)),
                        asCustomer(new ChooseCheckoutShippingMethodCommand(checkoutId, "STANDARD", express)),
                        asCustomer(new ConfirmCheckoutCommand(checkoutId)))
                .whenTimeElapses(TIMEOUT.plusSeconds(1))
                .expectNoEvents();
    }

    @Test
    void theDefaultShippingMethodsAreStandardAndExpress() {
        assertThat(new CheckoutProperties(TIMEOUT, null).shippingMethods()).containsOnlyKeys("STANDARD", "EXPRESS");
        assertThat(new CheckoutProperties(TIMEOUT, Map.of("PIGEON", Money.of("1.00", "EUR"))).shippingMethods())
                .containsOnlyKeys("PIGEON");
    }

    private static <T> Matcher<Object> event(Class<T> type, Predicate<T> check) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object payload) {
                return type.isInstance(payload) && check.test(type.cast(payload));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + type.getSimpleName() + " as expected");
            }
        };
    }

    private static Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }
}
