package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The data keys of an append's new subjects are created together, in the {@code keys} schema of a real
 * PostgreSQL, before the events are sealed: one statement and one commit for all of them, with the same outcome
 * per subject as creating each key when it is first sealed.
 */
class SubjectKeyCreationTest {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource keysStore;
    private static JdbcTemplate jdbc;
    private static MasterKeys master;
    private static PrivacyProperties settings;
    private static ErasureLedger ledger;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE SCHEMA keys");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=keys");
        config.setMaximumPoolSize(2);
        keysStore = new HikariDataSource(config);
        Flyway.configure().dataSource(keysStore).schemas("keys").defaultSchema("keys")
                .locations("classpath:db/migration/keys").load().migrate();
        jdbc = new JdbcTemplate(keysStore);
        master = new MasterKeys(Map.of("k1", MasterKeys.newDataKey()), "k1");
        settings = new PrivacyProperties(Map.of(), null, null, Duration.ofMinutes(1), 100_000, false, 500, null, 500);
        ledger = new ErasureLedger(Files.createTempDirectory("ledger").resolve("erased"));
    }

    @AfterAll
    static void stop() throws Exception {
        keysStore.close();
        postgres.close();
    }

    @BeforeEach
    void emptyKeysStore() {
        jdbc.update("TRUNCATE subject_key, erased_subject");
    }

    @Test
    void theNewSubjectsOfAnAppendGetTheirKeysInOneTransactionAndSealingThemStoresNothingMore() {
        JdbcSubjectKeys keys = node();
        List<CustomerRegisteredEvent> registrations = registrations(5);

        new SubjectKeyCreation(keys).appending(messages(registrations));

        assertThat(keyRows()).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM subject_key", Integer.class))
                .as("stored by one transaction").isEqualTo(1);
        PersonalDataCipher sealing = new PersonalDataCipher(keys);
        List<String> sealed = registrations.stream()
                .map(event -> sealing.seal(event.customerId().toString(), event.email())).toList();
        assertThat(keyRows()).as("the keys were ready: sealing stored none").isEqualTo(5);
        PersonalDataCipher anotherNode = new PersonalDataCipher(node());
        for (int i = 0; i < registrations.size(); i++) {
            assertThat(anotherNode.openText(sealed.get(i))).contains(registrations.get(i).email());
        }
    }

    @Test
    void anErasedSubjectGetsNoKeyAndItsPersonalDataIsStillRefusedWhenSealed() {
        JdbcSubjectKeys keys = node();
        List<CustomerRegisteredEvent> registrations = registrations(3);
        String erased = registrations.get(1).customerId().toString();
        node().erase(erased);

        new SubjectKeyCreation(keys).appending(messages(registrations));

        assertThat(jdbc.queryForList("SELECT subject_id FROM subject_key", String.class))
                .hasSize(2).doesNotContain(erased);
        assertThatThrownBy(() -> keys.keyForWriting(erased)).isInstanceOf(SubjectErasedException.class);
    }

    @Test
    void aSubjectAnotherNodeGaveAKeyMeanwhileKeepsThatKey() {
        List<CustomerRegisteredEvent> registrations = registrations(3);
        String first = registrations.get(0).customerId().toString();
        PersonalDataCipher otherNode = new PersonalDataCipher(node());
        String sealedElsewhere = otherNode.seal(first, "sealed by the other node");
        JdbcSubjectKeys keys = node();

        new SubjectKeyCreation(keys).appending(messages(registrations));

        assertThat(keyRows()).isEqualTo(3);
        assertThat(new PersonalDataCipher(keys).openText(sealedElsewhere)).contains("sealed by the other node");
        assertThat(keys.keyForWriting(first)).isEqualTo(keys.keyForReading(first).orElseThrow());
    }

    @Test
    void onlyEventsWithPersonalDataNameASubject() {
        CustomerRegisteredEvent registered = registrations(1).get(0);

        assertThat(SubjectKeyCreation.subjectOf(registered)).contains(registered.customerId().toString());
        assertThat(SubjectKeyCreation.subjectOf(new CustomerCreditLimitSetEvent(registered.customerId(),
                Money.of("10.00", "EUR")))).isEmpty();
        assertThat(SubjectKeyCreation.subjectOf("not a record")).isEmpty();
    }

    private static JdbcSubjectKeys node() {
        return new JdbcSubjectKeys(jdbc, master, settings, ledger, List::of);
    }

    private static int keyRows() {
        return jdbc.queryForObject("SELECT count(*) FROM subject_key", Integer.class);
    }

    private static List<CustomerRegisteredEvent> registrations(int count) {
        List<CustomerRegisteredEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            events.add(new CustomerRegisteredEvent(new CustomerId(id), "c-" + id + "@example.com", "Customer " + i,
                    Money.of("100.00", "EUR")));
        }
        return events;
    }

    private static List<EventMessage<?>> messages(List<?> payloads) {
        return payloads.stream().<EventMessage<?>>map(GenericEventMessage::asEventMessage).toList();
    }
}
