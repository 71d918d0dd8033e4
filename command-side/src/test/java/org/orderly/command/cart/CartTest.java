package org.orderly.command.cart;

import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.Test;
import org.orderly.api.cart.AddCartLineCommand;
import org.orderly.api.cart.CartCheckedOutEvent;
import org.orderly.api.cart.CartClearedEvent;
import org.orderly.api.cart.CartExpiredEvent;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CartLineAddedEvent;
import org.orderly.api.cart.CartLineQuantityChangedEvent;
import org.orderly.api.cart.CartLineRemovedEvent;
import org.orderly.api.cart.CartOpenedEvent;
import org.orderly.api.cart.ChangeCartLineQuantityCommand;
import org.orderly.api.cart.CheckOutCartCommand;
import org.orderly.api.cart.ClearCartCommand;
import org.orderly.api.cart.OpenCartCommand;
import org.orderly.api.cart.RemoveCartLineCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;

class CartTest {

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Instant OPENED_AT = Instant.parse("2026-12-05T10:00:00Z");
    private static final Instant LATER = OPENED_AT.plus(Duration.ofMinutes(20));

    private final CustomerId customerId = CustomerId.newId();
    private final CartId cartId = CartId.forCustomer(customerId, 0);
    private final Map<String, String> asCustomer = Actor.customer("sub", customerId.value()).toMetaData();
    private final Map<String, String> asAnotherCustomer = Actor.customer("other", CustomerId.newId().value()).toMetaData();
    private final ProductId pen = ProductId.newId();
    private final ProductId ink = ProductId.newId();
    private final Money penPrice = Money.of("1.50", "EUR");
    private final Money inkPrice = Money.of("7.00", "EUR");

    /** A fresh fixture per scenario: a fixture's deadline manager keeps what earlier scenarios scheduled. */
    private AggregateTestFixture<Cart> fixture() {
        AggregateTestFixture<Cart> fixture = new AggregateTestFixture<>(Cart.class);
        fixture.registerInjectableResource(new CartProperties(IDLE, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        return fixture;
    }

    private CartOpenedEvent opened() {
        return new CartOpenedEvent(cartId, customerId, OPENED_AT.plus(IDLE), "deadline-0");
    }

    private CartLineAddedEvent penAdded(int quantity) {
        return new CartLineAddedEvent(cartId, pen, quantity, penPrice, OPENED_AT.plus(IDLE), "deadline-1");
    }

    private Object asCustomer(Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(asCustomer);
    }

    @Test
    void aCustomerOpensAnEmptyCartWhoseExpiryDeadlineIsTheIdleTimeoutAway() {
        fixture().givenCurrentTime(OPENED_AT)
                .when(new OpenCartCommand(cartId, customerId), asCustomer)
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        event(CartOpenedEvent.class, e -> e.customerId().equals(customerId)
                                && e.expiresAt().equals(OPENED_AT.plus(IDLE)) && e.expiryDeadlineId() != null))))
                .expectScheduledDeadline(IDLE, new CartIdleDeadline(OPENED_AT.plus(IDLE)));
    }

    @Test
    void noOneOpensACartForAnotherCustomer() {
        fixture().givenNoPriorActivity()
                .when(new OpenCartCommand(cartId, customerId), asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    @Test
    void addingAProductPutsALineAtTheGivenPriceAndMovesTheExpiryDeadline() {
        fixture().given(opened())
                .andGivenCurrentTime(LATER)
                .when(new AddCartLineCommand(cartId, pen, 2, penPrice), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        event(CartLineAddedEvent.class, e -> e.productId().equals(pen) && e.quantity() == 2
                                && e.unitPrice().equals(penPrice) && e.expiresAt().equals(LATER.plus(IDLE))
                                && e.expiryDeadlineId() != null))))
                .expectScheduledDeadline(IDLE, new CartIdleDeadline(LATER.plus(IDLE)));
    }

    @Test
    void eachChangeCancelsTheDeadlineItReplacesSoTheCartExpiresOnce() {
        fixture().givenCurrentTime(OPENED_AT)
                .andGivenCommands(asCustomer(new OpenCartCommand(cartId, customerId)),
                        asCustomer(new AddCartLineCommand(cartId, pen, 1, penPrice)),
                        asCustomer(new ChangeCartLineQuantityCommand(cartId, pen, 3)))
                .whenTimeElapses(IDLE.plusSeconds(1))
                .expectTriggeredDeadlinesWithName(Cart.IDLE_DEADLINE)
                .expectEvents(new CartExpiredEvent(cartId, customerId));
    }

    @Test
    void addingAProductAlreadyInTheCartAddsToItsLineUpToTheLimit() {
        fixture().given(opened(), penAdded(2))
                .when(new AddCartLineCommand(cartId, pen, Cart.MAX_QUANTITY - 1, penPrice), asCustomer)
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
        fixture().given(opened(), penAdded(2))
                .when(new AddCartLineCommand(cartId, pen, 3, penPrice), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        event(CartLineAddedEvent.class, e -> e.quantity() == 3))));
    }

    @Test
    void aQuantityBelowOneOrAProductWithoutIdIsRefusedNamingTheField() {
        fixture().given(opened())
                .when(new AddCartLineCommand(cartId, pen, 0, penPrice), asCustomer)
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
        fixture().given(opened())
                .when(new AddCartLineCommand(cartId, null, 1, penPrice), asCustomer)
                .expectException(refusal(Refusal.Kind.INVALID, "productId"))
                .expectNoEvents();
    }

    @Test
    void aCartHoldsAtMostAHundredProducts() {
        Object[] full = new Object[Cart.MAX_LINES + 1];
        full[0] = opened();
        for (int i = 1; i <= Cart.MAX_LINES; i++) {
            full[i] = new CartLineAddedEvent(cartId, ProductId.newId(), 1, penPrice, OPENED_AT.plus(IDLE), "d" + i);
        }
        fixture().given(full)
                .when(new AddCartLineCommand(cartId, pen, 1, penPrice), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, "productId"))
                .expectNoEvents();
    }

    @Test
    void anotherCustomersCartDoesNotExistForThem() {
        fixture().given(opened(), penAdded(1))
                .when(new AddCartLineCommand(cartId, ink, 1, inkPrice), asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
        fixture().given(opened(), penAdded(1))
                .when(new ClearCartCommand(cartId), asAnotherCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void theQuantityOfALineChangesWithinOneToTheLimit() {
        fixture().given(opened(), penAdded(1))
                .andGivenCurrentTime(LATER)
                .when(new ChangeCartLineQuantityCommand(cartId, pen, 5), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(event(CartLineQuantityChangedEvent.class,
                        e -> e.productId().equals(pen) && e.quantity() == 5 && e.expiresAt().equals(LATER.plus(IDLE))))))
                .expectScheduledDeadline(IDLE, new CartIdleDeadline(LATER.plus(IDLE)));
        fixture().given(opened(), penAdded(1))
                .when(new ChangeCartLineQuantityCommand(cartId, pen, 0), asCustomer)
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
        fixture().given(opened(), penAdded(1))
                .when(new ChangeCartLineQuantityCommand(cartId, pen, Cart.MAX_QUANTITY + 1), asCustomer)
                .expectException(refusal(Refusal.Kind.INVALID, "quantity"))
                .expectNoEvents();
    }

    @Test
    void changingOrRemovingAProductThatIsNotInTheCartIsNotFound() {
        fixture().given(opened(), penAdded(1))
                .when(new ChangeCartLineQuantityCommand(cartId, ink, 2), asCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
        fixture().given(opened(), penAdded(1))
                .when(new RemoveCartLineCommand(cartId, ink), asCustomer)
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void removingALineAndClearingTheCartMoveTheExpiry() {
        fixture().given(opened(), penAdded(1))
                .andGivenCurrentTime(LATER)
                .when(new RemoveCartLineCommand(cartId, pen), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(event(CartLineRemovedEvent.class,
                        e -> e.productId().equals(pen) && e.expiresAt().equals(LATER.plus(IDLE))))))
                .expectScheduledDeadline(IDLE, new CartIdleDeadline(LATER.plus(IDLE)));
        fixture().given(opened(), penAdded(1))
                .andGivenCurrentTime(LATER)
                .when(new ClearCartCommand(cartId), asCustomer)
                .expectEventsMatching(payloadsMatching(exactSequenceOf(event(CartClearedEvent.class,
                        e -> e.expiresAt().equals(LATER.plus(IDLE))))))
                .expectScheduledDeadline(IDLE, new CartIdleDeadline(LATER.plus(IDLE)));
    }

    @Test
    void aCartLeftIdleForTheTimeoutExpiresThroughItsDeadline() {
        fixture().givenCurrentTime(OPENED_AT)
                .andGivenCommands(asCustomer(new OpenCartCommand(cartId, customerId)),
                        asCustomer(new AddCartLineCommand(cartId, pen, 1, penPrice)))
                .whenTimeElapses(IDLE.plusSeconds(1))
                .expectTriggeredDeadlinesWithName(Cart.IDLE_DEADLINE)
                .expectEvents(new CartExpiredEvent(cartId, customerId));
    }

    @Test
    void aDeadlineForAnExpiryThatALaterChangeMovedIsIgnoredShouldItFire() {
        // The change below comes as a given event, so nothing cancelled the deadline the opening set.
        fixture().givenCurrentTime(OPENED_AT)
                .andGivenCommands(asCustomer(new OpenCartCommand(cartId, customerId)))
                .andGiven(new CartLineAddedEvent(cartId, pen, 1, penPrice, LATER.plus(IDLE), "another-deadline"))
                .whenTimeAdvancesTo(OPENED_AT.plus(IDLE).plusSeconds(1))
                .expectTriggeredDeadlinesWithName(Cart.IDLE_DEADLINE)
                .expectNoEvents();
    }

    @Test
    void anExpiredCartCanNeitherBeChangedNorCheckedOut() {
        Object[] expired = {opened(), penAdded(1), new CartExpiredEvent(cartId, customerId)};
        for (Object command : List.of(new AddCartLineCommand(cartId, ink, 1, inkPrice),
                new ChangeCartLineQuantityCommand(cartId, pen, 2), new RemoveCartLineCommand(cartId, pen),
                new ClearCartCommand(cartId), new CheckOutCartCommand(cartId))) {
            fixture().given(expired)
                    .when(command, asCustomer)
                    .expectException(refusal(Refusal.Kind.CONFLICT, null))
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }
    }

    @Test
    void checkingOutClosesTheCartWithItsLinesOnceAndAnEmptyCartIsNotCheckedOut() {
        fixture().given(opened(), penAdded(2))
                .when(new CheckOutCartCommand(cartId), asCustomer)
                .expectEvents(new CartCheckedOutEvent(cartId, customerId, List.of(new CartLine(pen, 2, penPrice))));
        fixture().given(opened(), penAdded(2), new CartCheckedOutEvent(cartId, customerId,
                        List.of(new CartLine(pen, 2, penPrice))))
                .when(new CheckOutCartCommand(cartId), asCustomer)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture().given(opened(), penAdded(2), new CartCheckedOutEvent(cartId, customerId,
                        List.of(new CartLine(pen, 2, penPrice))))
                .when(new AddCartLineCommand(cartId, ink, 1, inkPrice), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture().given(opened())
                .when(new CheckOutCartCommand(cartId), asCustomer)
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCheckedOutCartNeverExpires() {
        fixture().givenCurrentTime(OPENED_AT)
                .andGivenCommands(asCustomer(new OpenCartCommand(cartId, customerId)),
                        asCustomer(new AddCartLineCommand(cartId, pen, 1, penPrice)),
                        asCustomer(new CheckOutCartCommand(cartId)))
                .whenTimeElapses(IDLE.plusSeconds(1))
                .expectNoEvents();
    }

    @Test
    void changingACartThatWasNeverOpenedFailsAsNotFound() {
        fixture().givenNoPriorActivity()
                .when(new ClearCartCommand(cartId), asCustomer)
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void aCustomersCartsAreNumberedSoEachOrdinalNamesOneCart() {
        org.assertj.core.api.Assertions.assertThat(CartId.forCustomer(customerId, 0)).isEqualTo(cartId);
        org.assertj.core.api.Assertions.assertThat(CartId.forCustomer(customerId, 1)).isNotEqualTo(cartId);
        org.assertj.core.api.Assertions.assertThat(CartId.forCustomer(CustomerId.newId(), 0)).isNotEqualTo(cartId);
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
