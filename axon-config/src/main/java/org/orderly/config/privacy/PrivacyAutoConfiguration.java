package org.orderly.config.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.orderly.config.web.IdempotencyFilter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Personal data in stored messages is sealed with its subject's key ({@link PersonalDataModule}) by the event
 * serializer, which Axon also uses for dead letters: the keys live in the {@code keys} domain store, wrapped by
 * master keys kept outside the database ({@link MasterKeys}).
 */
@AutoConfiguration(before = AxonAutoConfiguration.class)
@EnableConfigurationProperties({PrivacyProperties.class, ExportProperties.class})
public class PrivacyAutoConfiguration {

    static final String DOMAIN = "keys";
    private static final Logger log = LoggerFactory.getLogger(PrivacyAutoConfiguration.class);

    @Bean
    DomainStoreDefinition keysDomainStore() {
        return DomainStoreDefinition.of(DOMAIN).withStateNotFromEvents(
                "it holds the subjects' data keys, which are generated, never derived from events");
    }

    @Bean
    MasterKeys masterKeys(PrivacyProperties properties) {
        return MasterKeys.load(properties);
    }

    @Bean
    DeadLetterCauses deadLetterCauses(PersonalDataCipher cipher) {
        return new DeadLetterCauses(cipher);
    }

    /** Every domain-store processor's dead-letter policy: a cause is stored with its text sealed or cleaned. */
    @Bean
    EnqueuePolicy<EventMessage<?>> sealedCauseDeadLetterPolicy(DeadLetterCauses causes) {
        return causes.policy();
    }

    /** Erasing a customer deletes the {@code Idempotency-Key} answers that concern them, where the API runs. */
    @Bean
    SubjectErasureListener idempotencyAnswersErasure(ObjectProvider<IdempotencyFilter> answers) {
        return subject -> answers.ifAvailable(filter -> filter.erased(subject));
    }

    @Bean
    ErasureLedger erasureLedger(PrivacyProperties properties) {
        return new ErasureLedger(properties.erasureLedgerFile());
    }

    /**
     * The keys, with the erasure ledger re-applied before anything can read one: after a restore from a backup
     * older than an erasure, the erased customer's key is deleted again here.
     */
    @Bean
    JdbcSubjectKeys subjectKeys(DomainStores stores, MasterKeys masterKeys, PrivacyProperties properties,
                                ErasureLedger ledger, ObjectProvider<SubjectErasureListener> listeners) {
        JdbcSubjectKeys keys = new JdbcSubjectKeys(stores.get(DOMAIN).jdbc(), masterKeys, properties, ledger,
                () -> listeners.orderedStream().toList());
        JdbcSubjectKeys.Reapplied reapplied = keys.reapply();
        if (!reapplied.reErased().isEmpty() || reapplied.keysDeleted() > 0 || reapplied.addedToLedger() > 0) {
            log.info("Erasure ledger {}: {} erased subjects recorded again (a restore had brought them back), {} of "
                    + "their keys deleted, {} erasures added to the ledger", ledger.file(), reapplied.reErased().size(),
                    reapplied.keysDeleted(), reapplied.addedToLedger());
        }
        return keys;
    }

    @Bean
    ErasureRedrive erasureRedrive(JdbcSubjectKeys keys, JdbcTemplate eventStore, ObjectProvider<CommandGateway> commands) {
        return new ErasureRedrive(keys, eventStore, commands);
    }

    @Bean
    MasterKeyRotation masterKeyRotation(JdbcSubjectKeys keys, MasterKeys masterKeys, PrivacyProperties properties) {
        return new MasterKeyRotation(keys, masterKeys, properties.rotationBatchSize(), java.time.Clock.systemUTC());
    }

    @Bean
    MasterKeyOpsController masterKeyOpsController(MasterKeyRotation rotation) {
        return new MasterKeyOpsController(rotation);
    }

    @Bean
    SubjectKeyPrefetch subjectKeyPrefetch(SubjectKeys keys) {
        return new SubjectKeyPrefetch(keys);
    }

    @Bean
    SubjectKeyCreation subjectKeyCreation(SubjectKeys keys) {
        return new SubjectKeyCreation(keys);
    }

    @Bean
    PersonalDataCipher personalDataCipher(SubjectKeys keys) {
        return new PersonalDataCipher(keys);
    }

    @Bean
    ErasureProgressController erasureProgressController(
            org.springframework.beans.factory.ObjectProvider<org.axonframework.config.EventProcessingConfiguration> processing,
            DomainStores stores, org.orderly.config.processing.ProcessorLag lag,
            org.springframework.jdbc.core.JdbcTemplate eventStore) {
        return new ErasureProgressController(processing, stores, lag, eventStore);
    }

    @Bean
    KeysDataExport keysDataExport(DomainStores stores) {
        return new KeysDataExport(stores.get(DOMAIN).jdbc());
    }

    @Bean
    CustomerDataExportController customerDataExportController(org.axonframework.queryhandling.QueryGateway queries,
                                                              DomainStores stores, ExportProperties properties) {
        return new CustomerDataExportController(queries, stores, properties);
    }

    /**
     * Upcasters of the events with personal data from each older (plaintext) revision to the sealed one; Axon
     * registers every {@link EventUpcaster} bean with the event store.
     */
    @Bean
    EventUpcaster personalDataUpcasters() {
        return PersonalDataRevisions.upcasters();
    }

    @Bean
    StoredEventSealing storedEventSealing(OrderlyDatabase database, DomainStores stores,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          @Qualifier("personalDataUpcasters") EventUpcaster upcasters,
                                          PrivacyProperties properties) {
        return new StoredEventSealing(database, stores, eventSerializer, upcasters, properties.sealBatchSize());
    }

    /** The one-time migration, run when asked for with {@code orderly.privacy.seal-stored-events=true}. */
    @Bean
    @ConditionalOnProperty(name = "orderly.privacy.seal-stored-events", havingValue = "true")
    StoredEventSealingCommand storedEventSealingCommand(StoredEventSealing sealing,
                                                        ConfigurableApplicationContext context) {
        return new StoredEventSealingCommand(sealing, context);
    }

    /**
     * Axon's general serializer with personal data sealed: the same object mapper settings, so that events stored
     * before read as they did.
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer, RevisionResolver revisionResolver, PersonalDataCipher cipher) {
        if (!(serializer instanceof JacksonSerializer jackson)) {
            throw new IllegalStateException("Orderly stores events as JSON (axon.serializer.general=jackson), not with "
                    + serializer.getClass().getName());
        }
        ObjectMapper sealing = jackson.getObjectMapper().copy().registerModule(new PersonalDataModule(cipher));
        return JacksonSerializer.builder()
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter(Thread.currentThread().getContextClassLoader()))
                .objectMapper(sealing)
                .build();
    }
}
