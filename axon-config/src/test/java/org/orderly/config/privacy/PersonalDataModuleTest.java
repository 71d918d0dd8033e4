package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

class PersonalDataModuleTest {

    record Subject(UUID value) {
        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Registered(@DataSubject Subject subject, @PersonalData String email, @PersonalData String name, int age) {
    }

    record Moved(@DataSubject Subject subject, @PersonalData List<String> addressLines) {
    }

    record Anonymous(@PersonalData String email) {
    }

    private final InMemorySubjectKeys keys = new InMemorySubjectKeys();
    private final ObjectMapper json = new ObjectMapper().registerModule(new PersonalDataModule(new PersonalDataCipher(keys)));
    private final Subject ada = new Subject(UUID.randomUUID());

    @Test
    void personalTextIsStoredSealedAndReadsBackAsWritten() throws Exception {
        String stored = json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada Lovelace", 36));

        assertThat(stored).doesNotContain("ada@example.com").doesNotContain("Ada Lovelace").contains("\"age\":36");
        JsonNode tree = new ObjectMapper().readTree(stored);
        assertThat(tree.get("email").asText()).startsWith("pd1:" + ada + ":");
        assertThat(json.readValue(stored, Registered.class))
                .isEqualTo(new Registered(ada, "ada@example.com", "Ada Lovelace", 36));
    }

    @Test
    void theSameTextSealsDifferentlyEachTime() throws Exception {
        String first = json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada", 36));
        String second = json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada", 36));

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void afterErasureTextReadsAsThePlaceholderAndOtherValuesAsNull() throws Exception {
        String registered = json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada Lovelace", 36));
        String moved = json.writeValueAsString(new Moved(ada, List.of("12 Marsh Lane", "London")));

        keys.erase(ada.toString());

        assertThat(json.readValue(registered, Registered.class))
                .isEqualTo(new Registered(ada, PersonalData.ERASED, PersonalData.ERASED, 36));
        assertThat(json.readValue(moved, Moved.class)).isEqualTo(new Moved(ada, null));
    }

    @Test
    void personalDataWrittenForAnErasedSubjectIsDroppedForThePlaceholder() throws Exception {
        keys.erase(ada.toString());

        String stored = json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada", 36));

        assertThat(stored).doesNotContain("ada@example.com");
        assertThat(json.readValue(stored, Registered.class))
                .isEqualTo(new Registered(ada, PersonalData.ERASED, PersonalData.ERASED, 36));
    }

    @Test
    void structuredPersonalDataIsSealedAsAWhole() throws Exception {
        String stored = json.writeValueAsString(new Moved(ada, List.of("12 Marsh Lane", "London")));

        assertThat(stored).doesNotContain("Marsh").doesNotContain("London");
        assertThat(json.readValue(stored, Moved.class)).isEqualTo(new Moved(ada, List.of("12 Marsh Lane", "London")));
    }

    @Test
    void plaintextWrittenBeforeSealingStillReads() throws Exception {
        String legacy = "{\"subject\":{\"value\":\"" + ada + "\"},\"email\":\"ada@example.com\",\"name\":\"Ada\",\"age\":3}";

        assertThat(json.readValue(legacy, Registered.class)).isEqualTo(new Registered(ada, "ada@example.com", "Ada", 3));
    }

    @Test
    void aValueMovedToAnotherSubjectsMessageDoesNotOpen() throws Exception {
        Subject grace = new Subject(UUID.randomUUID());
        JsonNode adas = new ObjectMapper().readTree(json.writeValueAsString(new Registered(ada, "ada@example.com", "Ada", 1)));
        String forged = json.writeValueAsString(new Registered(grace, "grace@example.com", "Grace", 2))
                .replaceFirst("\"email\":\"[^\"]*\"", "\"email\":\"" + adas.get("email").asText()
                        .replace("pd1:" + ada, "pd1:" + grace) + "\"");

        assertThatThrownBy(() -> json.readValue(forged, Registered.class))
                .hasRootCauseInstanceOf(javax.crypto.AEADBadTagException.class);
    }

    @Test
    void personalDataWithoutADataSubjectIsRefusedRatherThanStoredInTheClear() {
        assertThatThrownBy(() -> json.writeValueAsString(new Anonymous("x@example.com")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names no @DataSubject");
    }
}
