package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

class SubjectKeyPrefetchTest {

    record Registered(@DataSubject UUID subject, @PersonalData String email, @PersonalData String name, String note) {
    }

    @Test
    void findsTheSubjectOfEverySealedValueInAStoredPayloadAndNothingInPlaintext() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new PersonalDataModule(
                new PersonalDataCipher(new InMemorySubjectKeys())));
        UUID ada = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        Set<String> found = new HashSet<>();

        SubjectKeyPrefetch.subjectsIn(json.writeValueAsBytes(new Registered(ada, "ada@example.com", "Ada", "pd1:")), found);
        SubjectKeyPrefetch.subjectsIn(json.writeValueAsBytes(new Registered(bob, "bob@example.com", null, null)), found);
        SubjectKeyPrefetch.subjectsIn("{\"email\": \"pd1\", \"name\": \"pd1:x\"}".getBytes(StandardCharsets.UTF_8), found);

        assertThat(found).containsExactlyInAnyOrder(ada.toString(), bob.toString());
    }
}
