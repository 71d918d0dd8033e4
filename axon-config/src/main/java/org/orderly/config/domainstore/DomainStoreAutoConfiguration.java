package org.orderly.config.domainstore;

import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Turns every {@link DomainStoreDefinition} into a running domain store, and gives each of its
 * processing groups a pooled streaming processor whose token store, dead-letter queue and transaction
 * manager all belong to that domain; saga processors get the same without the dead-letter queue.
 */
@AutoConfiguration(after = OrderlyDatabaseAutoConfiguration.class)
public class DomainStoreAutoConfiguration {

    /**
     * At most this many events a saga processor handles in one transaction (a live processor takes what is
     * there). One event per transaction paid a commit (an fsync), a token update and an event-store append
     * for every saga event, which capped each segment far below the order rate. Batching is safe because a
     * saga's commands run and commit in units of work of their own ({@code SagaCommand}), so a batch holds
     * no aggregate lock; a failed batch is handled again, and every saga command is idempotent.
     */
    static final int SAGA_BATCH_SIZE = 50;

    /**
     * Segments a new saga processor starts with. A saga waits for each command it sends, one saga at a
     * time per segment, so its throughput is segments over the time its commands take; four match Axon's
     * four worker threads per processor and the sagas domain's pool of four connections. Processors whose
     * tokens exist keep their segments (split them through Axon to follow).
     */
    static final int SAGA_SEGMENTS = 4;

    @Bean(destroyMethod = "close")
    DomainStores domainStores(ObjectProvider<DomainStoreDefinition> definitions, OrderlyDatabase database,
                              OrderlyProperties properties) {
        return DomainStores.open(definitions.orderedStream().toList(), database, properties);
    }

    @Bean
    HandlerEnhancerDefinition savepointPerEventHandler(DomainStores stores) {
        return new SavepointPerEventHandler(stores);
    }

    @Bean
    ConfigurerModule domainStoreProcessors(DomainStores stores, OrderlyProperties properties) {
        OrderlyProperties.Processors defaults = properties.getProcessors();
        return configurer -> {
            EventProcessingConfigurer processing = configurer.eventProcessing();
            for (DomainStore store : stores.all()) {
                for (String group : store.processingGroups()) {
                    processing
                            .registerPooledStreamingEventProcessor(group, Configuration::eventStore,
                                    (config, builder) -> builder
                                            .initialSegmentCount(defaults.getInitialSegments())
                                            .batchSize(defaults.getBatchSize()))
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.axonTransactionManager())
                            .registerDeadLetterQueue(group, config -> store.deadLetterQueue(group,
                                    config.eventSerializer(), config.serializer(),
                                    defaults.getDeadLetterMaxSequences()))
                            // A replay reprocesses every event, parked ones included: it starts with an empty queue.
                            // The cache remembers which sequences this node's segments have parked, so an
                            // event of a clean sequence costs no "is it parked?" query.
                            .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                                    (config, builder) -> builder.allowReset(true).enableSequenceIdentifierCache());
                }
                // Axon has no dead-letter queue for sagas: a saga handles its own failures (retries, deadlines).
                for (String group : store.sagaProcessingGroups()) {
                    processing
                            .registerPooledStreamingEventProcessor(group, Configuration::eventStore,
                                    (config, builder) -> builder
                                            .initialSegmentCount(SAGA_SEGMENTS)
                                            .batchSize(SAGA_BATCH_SIZE))
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.axonTransactionManager());
                }
            }
        };
    }
}
