package org.orderly.command.customer;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.AddCustomerAddressCommand;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerAddressAddedEvent;
import org.orderly.api.customer.CustomerAddressRemovedEvent;
import org.orderly.api.customer.CustomerAddressReplacedEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerDefaultAddressesChangedEvent;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.customer.RemoveCustomerAddressCommand;
import org.orderly.api.customer.ReplaceCustomerAddressCommand;

/** The customer's address book: every address command, each refusal, and the rules of the two defaults. */
class CustomerAddressesTest {

    private static final PostalAddress HOME = new PostalAddress("Ada Lovelace", "12 St James's Square", "Flat 3",
            "SW1Y 4JH", "London", null, "GB", "+44 20 7946 0958");
    private static final PostalAddress OFFICE = new PostalAddress("Ada Lovelace", "Unter den Linden 6", null,
            "10117", "Berlin", "Berlin", "DE", null);
    private static final Map<String, String> STAFF = new Actor("staff", Set.of(Actor.Role.STAFF), null).toMetaData();

    private final CustomerId id = CustomerId.newId();
    private final AddressId home = AddressId.newId();
    private final AddressId office = AddressId.newId();
    private FixtureConfiguration<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
        fixture.registerInjectableResource(new CustomerTest.InMemoryEmailRegistry());
        fixture.registerInjectableResource(new CustomerTest.ErasedSubjects());
    }

    private Map<String, String> self() {
        return Actor.customer("subject-of-" + id, id.value()).toMetaData();
    }

    private CustomerRegisteredEvent registered() {
        return new CustomerRegisteredEvent(id, "ada@example.com", "Ada", Money.of("5000.00", "EUR"));
    }

    @Test
    void addingAnAddressRecordsItStrippedWithTheCountryUpperCasedAndBlankOptionalsAsNone() {
        fixture.given(registered())
                .when(new AddCustomerAddressCommand(id, home, new PostalAddress(" Ada Lovelace ", "12 St James's Square ",
                        "Flat 3", " SW1Y 4JH", "London", "  ", "gb", "+44 20 7946 0958"), false, false, null), self())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CustomerAddressAddedEvent(id, home, HOME));
    }

    @Test
    void addingAnAddressAsBothDefaultsRecordsTheAddressThenTheDefaults() {
        fixture.given(registered())
                .when(new AddCustomerAddressCommand(id, home, HOME, true, true, null), self())
                .expectEvents(new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerDefaultAddressesChangedEvent(id, home, home));
    }

    @Test
    void anAddressAddedAsDefaultShippingTakesThatDefaultFromTheAddressThatHeldIt() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerDefaultAddressesChangedEvent(id, home, home))
                .when(new AddCustomerAddressCommand(id, office, OFFICE, true, false, null), self())
                .expectEvents(new CustomerAddressAddedEvent(id, office, OFFICE),
                        new CustomerDefaultAddressesChangedEvent(id, office, home));
    }

    @Test
    void addingTheSameAddressUnderTheSameIdAgainIsARetryThatChangesNothing() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new AddCustomerAddressCommand(id, home, HOME, false, false, null), self())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void addingAnotherAddressUnderAnIdInUseIsRefusedAsAConflict() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new AddCustomerAddressCommand(id, home, OFFICE, false, false, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aTwentyFirstAddressIsRefusedAsAConflict() {
        Object[] twenty = new Object[1 + CustomerRules.MAX_ADDRESSES];
        twenty[0] = registered();
        for (int i = 1; i < twenty.length; i++) {
            twenty[i] = new CustomerAddressAddedEvent(id, AddressId.newId(), HOME);
        }
        fixture.given(twenty)
                .when(new AddCustomerAddressCommand(id, office, OFFICE, false, false, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectExceptionMessage("A customer keeps at most 20 addresses; remove one first")
                .expectNoEvents();
    }

    @Test
    void aRemovedAddressFreesItsPlaceInTheTwenty() {
        Object[] history = new Object[2 + CustomerRules.MAX_ADDRESSES];
        history[0] = registered();
        for (int i = 1; i <= CustomerRules.MAX_ADDRESSES; i++) {
            history[i] = new CustomerAddressAddedEvent(id, i == 1 ? home : AddressId.newId(), HOME);
        }
        history[history.length - 1] = new CustomerAddressRemovedEvent(id, home);
        fixture.given(history)
                .when(new AddCustomerAddressCommand(id, office, OFFICE, false, false, null), self())
                .expectEvents(new CustomerAddressAddedEvent(id, office, OFFICE));
    }

    @Test
    void anUnknownCountryCodeIsRefusedNamingTheCountry() {
        fixture.given(registered())
                .when(new AddCustomerAddressCommand(id, home, new PostalAddress("Ada", "1 Road", null, "1000", "Town",
                        null, "XX", null), false, false, null), self())
                .expectException(refusal(Refusal.Kind.INVALID, "country"))
                .expectNoEvents();
    }

    @Test
    void aCountryNameInsteadOfItsCodeIsRefusedNamingTheCountry() {
        fixture.given(registered())
                .when(new AddCustomerAddressCommand(id, home, new PostalAddress("Ada", "1 Road", null, "1000", "Town",
                        null, "Germany", null), false, false, null), self())
                .expectException(refusal(Refusal.Kind.INVALID, "country"))
                .expectNoEvents();
    }

    @Test
    void eachMissingRequiredFieldIsRefusedNamingIt() {
        Map<String, PostalAddress> missing = Map.of(
                "recipientName", new PostalAddress(" ", "1 Road", null, "1000", "Town", null, "DE", null),
                "line1", new PostalAddress("Ada", null, null, "1000", "Town", null, "DE", null),
                "postalCode", new PostalAddress("Ada", "1 Road", null, "", "Town", null, "DE", null),
                "city", new PostalAddress("Ada", "1 Road", null, "1000", null, null, "DE", null),
                "country", new PostalAddress("Ada", "1 Road", null, "1000", "Town", null, null, null));
        missing.forEach((field, address) -> {
            setUp();
            fixture.given(registered())
                    .when(new AddCustomerAddressCommand(id, home, address, false, false, null), self())
                    .expectException(refusal(Refusal.Kind.INVALID, field))
                    .expectNoEvents();
        });
    }

    @Test
    void aPhoneOrPostalCodeThatIsNoneAndAnOverlongLineAreRefusedNamingTheField() {
        Map<String, PostalAddress> bad = Map.of(
                "phone", new PostalAddress("Ada", "1 Road", null, "1000", "Town", null, "DE", "call me maybe"),
                "postalCode", new PostalAddress("Ada", "1 Road", null, "10;00", "Town", null, "DE", null),
                "line2", new PostalAddress("Ada", "1 Road", "x".repeat(201), "1000", "Town", null, "DE", null));
        bad.forEach((field, address) -> {
            setUp();
            fixture.given(registered())
                    .when(new AddCustomerAddressCommand(id, home, address, false, false, null), self())
                    .expectException(refusal(Refusal.Kind.INVALID, field))
                    .expectNoEvents();
        });
    }

    @Test
    void anotherCustomerCannotAddToACustomersAddressBookAndSeesItAsUnknown() {
        fixture.given(registered())
                .when(new AddCustomerAddressCommand(id, home, HOME, false, false, null),
                        Actor.customer("someone-else", UUID.randomUUID()).toMetaData())
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + id);
    }

    @Test
    void aDeactivatedCustomersAddressBookIsClosed() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME), new CustomerDeactivatedEvent(id))
                .when(new RemoveCustomerAddressCommand(id, home, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void anErasedCustomerCanAddNoAddress() {
        fixture.given(registered(), new CustomerErasedEvent(id))
                .when(new AddCustomerAddressCommand(id, home, HOME, false, false, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void replacingAnAddressRecordsItsNewContentAndLeavesTheDefaultsWhenNoFlagIsGiven() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerDefaultAddressesChangedEvent(id, home, home))
                .when(new ReplaceCustomerAddressCommand(id, home, OFFICE, null, null, null), self())
                .expectEvents(new CustomerAddressReplacedEvent(id, home, OFFICE));
    }

    @Test
    void replacingAnAddressWithWhatItIsChangesNothing() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new ReplaceCustomerAddressCommand(id, home, HOME, null, false, null), self())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void replacingWithFalseClearsADefaultThatWasThisAddressAndTrueTakesTheOther() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerDefaultAddressesChangedEvent(id, home, null))
                .when(new ReplaceCustomerAddressCommand(id, home, HOME, false, true, null), self())
                .expectEvents(new CustomerDefaultAddressesChangedEvent(id, null, home));
    }

    @Test
    void replacingWithFalseLeavesADefaultThatIsAnotherAddress() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerAddressAddedEvent(id, office, OFFICE),
                        new CustomerDefaultAddressesChangedEvent(id, home, home))
                .when(new ReplaceCustomerAddressCommand(id, office, OFFICE, false, false, null), self())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void replacingAnUnknownAddressIsRefusedAsNotFound() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new ReplaceCustomerAddressCommand(id, office, OFFICE, null, null, null), self())
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void replacingWithAnInvalidAddressIsRefusedNamingTheField() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new ReplaceCustomerAddressCommand(id, home, new PostalAddress("Ada", "1 Road", null, "1000",
                        "Town", null, "ZZ", null), null, null, null), self())
                .expectException(refusal(Refusal.Kind.INVALID, "country"))
                .expectNoEvents();
    }

    @Test
    void anAddressCommandCarryingAStaleVersionOfTheCustomerIsRefused() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new RemoveCustomerAddressCommand(id, home, 0L), self())
                .expectException(org.axonframework.modelling.command.ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    @Test
    void removingAnAddressRecordsItsRemoval() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new RemoveCustomerAddressCommand(id, home, null), self())
                .expectEvents(new CustomerAddressRemovedEvent(id, home));
    }

    @Test
    void removingTheDefaultAddressClearsTheDefaultSoANewAddressDoesNotBecomeItUnasked() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME),
                        new CustomerDefaultAddressesChangedEvent(id, home, home),
                        new CustomerAddressRemovedEvent(id, home))
                // were the defaults still naming the removed address, false here would have nothing to clear and
                // true would change them; as it is, only setting the default shipping address is a change
                .when(new AddCustomerAddressCommand(id, office, OFFICE, true, false, null), self())
                .expectEvents(new CustomerAddressAddedEvent(id, office, OFFICE),
                        new CustomerDefaultAddressesChangedEvent(id, office, null));
    }

    @Test
    void removingAnUnknownOrAlreadyRemovedAddressIsRefusedAsNotFound() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME), new CustomerAddressRemovedEvent(id, home))
                .when(new RemoveCustomerAddressCommand(id, home, null), self())
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectExceptionMessage("No resource with id " + home)
                .expectNoEvents();
    }

    @Test
    void theAggregateAdmitsStaffAsForEveryCustomerCommandWhileTheRoleTableKeepsThemOutOfAddressChanges() {
        // The role table keeps staff out of address changes (403); the aggregate's own rule is the owner's access,
        // which staff have, as for every customer command: this pins that the aggregate does not refuse them.
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new RemoveCustomerAddressCommand(id, home, null), STAFF)
                .expectEvents(new CustomerAddressRemovedEvent(id, home));
    }

    @Test
    void anotherCustomerCannotRemoveACustomersAddressAndSeesTheCustomerAsUnknown() {
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, HOME))
                .when(new RemoveCustomerAddressCommand(id, home, null), Actor.customer("someone-else", UUID.randomUUID())
                        .toMetaData())
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + id);
    }

    @Test
    void anErasedCustomersAddressesReadAsNothingAndTheirBookIsClosed() {
        // after erasure the sealed address reads as null; the aggregate still loads and refuses further changes
        fixture.given(registered(), new CustomerAddressAddedEvent(id, home, null), new CustomerErasedEvent(id))
                .when(new ReplaceCustomerAddressCommand(id, home, HOME, null, null, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    private static Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && java.util.Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }
}
