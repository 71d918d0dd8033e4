package org.orderly.command.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.ChangeCustomerEmailCommand;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.DeactivateCustomerCommand;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.EraseCustomerCommand;
import org.orderly.config.privacy.SubjectKeys;
import org.orderly.api.customer.RegisterCustomerCommand;
import org.orderly.api.customer.SetCustomerCreditLimitCommand;

class CustomerTest {

    private static final Money LIMIT = Money.of("5000.00", "EUR");
    private final CustomerId id = CustomerId.newId();
    private final InMemoryEmailRegistry emails = new InMemoryEmailRegistry();
    private final ErasedSubjects keys = new ErasedSubjects();
    private FixtureConfiguration<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
        fixture.registerInjectableResource(emails);
        fixture.registerInjectableResource(keys);
    }

    /** The customer themself, as the metadata of a command they send. */
    private Map<String, String> self() {
        return Actor.customer("subject-of-" + id, id.value()).toMetaData();
    }

    private static final Map<String, String> STAFF = new Actor("staff", Set.of(Actor.Role.STAFF), null).toMetaData();

    @Test
    void registeringACustomerRecordsANormalisedEmailAndClaimsIt() {
        fixture.givenNoPriorActivity()
                .when(new RegisterCustomerCommand(id, " Ada@Example.COM ", " Ada Lovelace ", LIMIT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CustomerRegisteredEvent(id, "ada@example.com", "Ada Lovelace", LIMIT));
        assertThat(emails.holder("ada@example.com")).isEqualTo(id);
    }

    @Test
    void registeringWithAnEmailAnotherCustomerHoldsIsRefusedAsAConflict() {
        emails.claim("ada@example.com", CustomerId.newId());
        fixture.givenNoPriorActivity()
                .when(new RegisterCustomerCommand(id, "ada@example.com", "Ada", LIMIT))
                .expectException(RefusedException.class)
                .expectException(refusal(Refusal.Kind.CONFLICT, "email"))
                .expectNoEvents();
    }

    @Test
    void registeringWithAMalformedEmailIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new RegisterCustomerCommand(id, "not-an-email", "Ada", LIMIT))
                .expectException(refusal(Refusal.Kind.INVALID, "email"))
                .expectNoEvents();
    }

    @Test
    void registeringWithABlankNameIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new RegisterCustomerCommand(id, "ada@example.com", "  ", LIMIT))
                .expectException(refusal(Refusal.Kind.INVALID, "name"))
                .expectNoEvents();
    }

    @Test
    void changingTheEmailMovesTheClaimToTheNewAddress() {
        emails.claim("ada@example.com", id);
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new ChangeCustomerEmailCommand(id, "ada@lovelace.org", null), self())
                .expectEvents(new CustomerEmailChangedEvent(id, "ada@lovelace.org"));
        assertThat(emails.holder("ada@lovelace.org")).isEqualTo(id);
        assertThat(emails.holder("ada@example.com")).isNull();
    }

    @Test
    void changingTheEmailToTheSameAddressChangesNothing() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new ChangeCustomerEmailCommand(id, "ADA@example.com", null), self())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void changingTheEmailToOneAnotherCustomerHoldsIsRefused() {
        emails.claim("grace@example.com", CustomerId.newId());
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new ChangeCustomerEmailCommand(id, "grace@example.com", null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, "email"))
                .expectNoEvents();
    }

    @Test
    void changingADeactivatedCustomerIsRefusedAsAConflict() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT), new CustomerDeactivatedEvent(id))
                .when(new ChangeCustomerEmailCommand(id, "ada@lovelace.org", null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void registeringWithANegativeCreditLimitIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new RegisterCustomerCommand(id, "ada@example.com", "Ada", Money.of("-1.00", "EUR")))
                .expectException(refusal(Refusal.Kind.INVALID, "creditLimit"))
                .expectNoEvents();
    }

    @Test
    void settingANewCreditLimitRecordsIt() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new SetCustomerCreditLimitCommand(id, Money.of("250.00", "EUR"), null), STAFF)
                .expectEvents(new CustomerCreditLimitSetEvent(id, Money.of("250.00", "EUR")));
    }

    @Test
    void settingTheSameCreditLimitChangesNothing() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new SetCustomerCreditLimitCommand(id, Money.of("5000", "EUR"), null), STAFF)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRevisionOneRegistrationTakesItsLimitFromTheCreditLimitEventThatFollowedIt() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", null),
                        new CustomerCreditLimitSetEvent(id, LIMIT))
                .when(new SetCustomerCreditLimitCommand(id, Money.of("5000", "EUR"), null), STAFF)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void deactivatingAnActiveCustomerRecordsTheDeactivation() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new DeactivateCustomerCommand(id, null), self())
                .expectEvents(new CustomerDeactivatedEvent(id));
    }

    @Test
    void deactivatingTwiceIsRefusedAsAConflict() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT), new CustomerDeactivatedEvent(id))
                .when(new DeactivateCustomerCommand(id, null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCommandCarryingAStaleVersionIsRefused() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT),
                        new CustomerEmailChangedEvent(id, "ada@lovelace.org"))
                .when(new DeactivateCustomerCommand(id, 0L), self())
                .expectException(org.axonframework.modelling.command.ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    private static org.hamcrest.Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && java.util.Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }

    /** The registry's rule, without its table: the JDBC registry is covered against PostgreSQL in the app's tests. */

    @Test
    void aCustomerCannotChangeAnotherCustomersEmailAndSeesItAsUnknown() {
        CustomerId other = CustomerId.newId();
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new ChangeCustomerEmailCommand(id, "mallory@example.com", null),
                        Actor.customer("subject-of-" + other, other.value()).toMetaData())
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + id);
    }

    @Test
    void aCustomerCannotSetEvenTheirOwnCreditLimit() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new SetCustomerCreditLimitCommand(id, Money.of("1000000", "EUR"), null), self())
                .expectNoEvents()
                .expectException(RefusedException.class);
    }

    @Test
    void aCommandThatNamesNoSenderIsRefusedAsIfTheCustomerDidNotExist() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new DeactivateCustomerCommand(id, null))
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + id);
    }

    @Test
    void erasingACustomerDeletesTheirKeyFreesTheirEmailAndTellsEveryDomain() {
        emails.claim("ada@example.com", id);
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new EraseCustomerCommand(id), self())
                .expectEvents(new CustomerErasedEvent(id));
        assertThat(keys.isErased(id.toString())).isTrue();
        assertThat(emails.holder("ada@example.com")).isNull();
    }

    @Test
    void staffMayEraseADeactivatedCustomer() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT), new CustomerDeactivatedEvent(id))
                .when(new EraseCustomerCommand(id), STAFF)
                .expectEvents(new CustomerErasedEvent(id));
    }

    @Test
    void erasingTwiceChangesNothingTheSecondTime() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT), new CustomerErasedEvent(id))
                .when(new EraseCustomerCommand(id), self())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anErasedCustomerCannotBeChangedAnyMore() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT), new CustomerErasedEvent(id))
                .when(new ChangeCustomerEmailCommand(id, "ada@lovelace.org", null), self())
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void anotherCustomerCannotEraseACustomer() {
        fixture.given(new CustomerRegisteredEvent(id, "ada@example.com", "Ada", LIMIT))
                .when(new EraseCustomerCommand(id), Actor.customer("someone-else", UUID.randomUUID()).toMetaData())
                .expectNoEvents()
                .expectExceptionMessage("No resource with id " + id);
        assertThat(keys.isErased(id.toString())).isFalse();
    }

    /** The key store as the aggregate uses it: it only ever erases. */
    static final class ErasedSubjects implements SubjectKeys {
        private final Set<String> erased = new java.util.HashSet<>();

        @Override
        public javax.crypto.SecretKey keyForWriting(String subject) {
            throw new UnsupportedOperationException("the aggregate never seals");
        }

        @Override
        public java.util.Optional<javax.crypto.SecretKey> keyForReading(String subject) {
            throw new UnsupportedOperationException("the aggregate never opens");
        }

        @Override
        public void erase(String subject) {
            erased.add(subject);
        }

        @Override
        public boolean isErased(String subject) {
            return erased.contains(subject);
        }
    }

    static final class InMemoryEmailRegistry implements CustomerEmailRegistry {
        private final Map<String, CustomerId> holders = new HashMap<>();

        @Override
        public void claim(String email, CustomerId customerId) {
            CustomerId holder = holders.putIfAbsent(email, customerId);
            if (holder != null && !holder.equals(customerId)) {
                throw new RefusedException(Refusal.conflict("email", "Email " + email + " is already in use"));
            }
        }

        @Override
        public void release(String email, CustomerId customerId) {
            holders.remove(email, customerId);
        }

        @Override
        public void releaseAll(CustomerId customerId) {
            holders.values().removeIf(customerId::equals);
        }

        CustomerId holder(String email) {
            return holders.get(email);
        }
    }
}
