package org.orderly.config.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;

/** How the customers an access reaches are told: from a response body, from an event, and who is themself. */
class AuditedSubjectsTest {

    record Customer(String customerId, String email) {
    }

    record Page(List<Customer> items, String nextCursor) {
    }

    @Test
    void aResponseNamesItsOwnCustomerOrEachCustomerOfItsItems() {
        assertThat(AuditedPersonalDataInterceptor.subjectsIn(new Customer("c1", "a@example.com"), "customerId"))
                .containsExactly("c1");
        assertThat(AuditedPersonalDataInterceptor.subjectsIn(new Page(List.of(new Customer("c1", "a@example.com"),
                new Customer(null, "b@example.com"), new Customer("c3", "c@example.com")), null), "customerId"))
                .containsExactly("c1", "c3");
        assertThat(AuditedPersonalDataInterceptor.subjectsIn("not a record", "customerId")).isEmpty();
    }

    @Test
    void anEventNamesTheCustomerItsPersonalDataBelongsTo() {
        CustomerId customer = CustomerId.newId();
        assertThat(DataSubjects.of(new CustomerRegisteredEvent(customer, "a@example.com", "Ada", null)))
                .isEqualTo(customer.toString());
        assertThat(DataSubjects.of(new Customer("c1", "a@example.com"))).as("no @DataSubject").isNull();
    }

    @Test
    void onlyTheCustomerThemselfIsTheSubjectsSelf() {
        UUID ada = UUID.randomUUID();
        assertThat(DataAccessAudit.isSelf(Actor.customer("sub", ada), ada.toString())).isTrue();
        assertThat(DataAccessAudit.isSelf(Actor.customer("sub", ada), UUID.randomUUID().toString())).isFalse();
        assertThat(DataAccessAudit.isSelf(new Actor("staff", Set.of(Actor.Role.STAFF), null), ada.toString()))
                .isFalse();
    }
}
