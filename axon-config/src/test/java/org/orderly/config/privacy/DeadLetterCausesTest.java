package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.deadletter.Cause;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;

class DeadLetterCausesTest {

    private final InMemorySubjectKeys keys = new InMemorySubjectKeys();
    private final DeadLetterCauses causes = new DeadLetterCauses(new PersonalDataCipher(keys));
    private final CustomerId ada = new CustomerId(UUID.randomUUID());

    @Test
    void theCauseOfAnEventWithASubjectKeepsItsClassAndIsSealedUnderThatSubject() {
        Cause stored = (Cause) causes.storable(GenericEventMessage.asEventMessage(
                new CustomerRegisteredEvent(ada, "ada@example.com", "Ada", null)),
                new IllegalStateException("Failing row contains (ada@example.com, Ada)"));

        assertThat(stored.type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(stored.message()).startsWith("pd1:" + ada + ":").doesNotContain("ada@example.com");
        assertThat(causes.readable(stored.message())).isEqualTo("Failing row contains (ada@example.com, Ada)");

        keys.erase(ada.toString());
        assertThat(causes.readable(stored.message())).isEqualTo(PersonalData.ERASED);
    }

    @Test
    void theCauseOfAnEventWithoutASubjectLosesAnythingThatLooksLikeAnEmail() {
        Cause stored = (Cause) causes.storable(GenericEventMessage.asEventMessage("not a message of Orderly"),
                new IllegalArgumentException("Key (email)=(bob@example.com) already exists"));

        assertThat(stored.type()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(stored.message()).isEqualTo("Key (email)=(" + DeadLetterCauses.REMOVED + ") already exists");
    }

    @Test
    void aCauseOfAnErasedSubjectIsStoredAsThePlaceholder() {
        keys.erase(ada.toString());

        Cause stored = (Cause) causes.storable(GenericEventMessage.asEventMessage(
                        new CustomerRegisteredEvent(ada, PersonalData.ERASED, PersonalData.ERASED, null)),
                new IllegalStateException("Customer ada@example.com"));

        assertThat(stored.message()).isEqualTo(PersonalData.ERASED);
    }
}
