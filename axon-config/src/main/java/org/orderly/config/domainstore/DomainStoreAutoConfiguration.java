package org.orderly.config.domainstore;


import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.database.DatabaseProperties;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.axonframework.messaging.deadletter.Decisions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Turns every {@link DomainStoreDefinition} into a running domain store, and gives each of its
 * processing groups a pooled streaming processor whose token store, dead-letter queue and transaction
 * manager all belong to that domain; saga processors get the same without the dead-letter queue.
 */
@AutoConfiguration(after = OrderlyDatabaseAutoConfiguration.class)
@org.springframework.boot.context.properties.EnableConfigurationProperties(SagaProcessorProperties.class)
public class DomainStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    DomainStores domainStores(ObjectProvider<DomainStoreDefinition> definitions,
                              ObjectProvider<DomainStoreReader> readers, OrderlyDatabase database,
                              OrderlyProperties orderly, DatabaseProperties databaseSettings,
                              ProcessorProperties processors, SagaProcessorProperties sagas) {
        return DomainStores.open(definitions.orderedStream().toList(), readers.orderedStream().toList(), database,
                new DomainStores.Settings(orderly, databaseSettings, processors, sagas));
    }

    @Bean
    HandlerEnhancerDefinition savepointPerEventHandler(DomainStores stores) {
        return new SavepointIsolatingHandlerEnhancer(stores);
    }

    @Bean
    ProjectionCommits projectionCommits(DomainStores stores) {
        return stores.commits();
    }

    /**
     * Segments a processor may claim when no bean limits them (the cluster's {@code SegmentBalance} does): Axon's
     * own default, no limit.
     */
    private static final MaxSegmentProvider AXON_DEFAULT_SEGMENT_LIMIT = processor -> Short.MAX_VALUE;

    /** Worker threads of a projection processor, Axon's default: its segments' batches run side by side. */
    static final int PROJECTION_WORKERS = 4;

    @Bean
    ConfigurerModule domainStoreProcessors(DomainStores stores, ProcessorProperties defaults,
                                           SagaProcessorProperties sagas,
                                           ObjectProvider<EnqueuePolicy<EventMessage<?>>> deadLetterPolicy,
                                           ObjectProvider<MaxSegmentProvider> segmentLimit) {
        long claimInterval = defaults.tokenClaimInterval().toMillis();
        // An idle node renews its claims three times per timeout: one late renewal never loses a claim.
        long claimExtension = Math.max(1, defaults.claimTimeout().toMillis() / 3);
        return configurer -> {
            EventProcessingConfigurer processing = configurer.eventProcessing();
            for (DomainStore store : stores.all()) {
                for (String group : store.processingGroups()) {
                    processing
                            .registerPooledStreamingEventProcessor(group, Configuration::eventStore,
                                    (config, builder) -> {
                                        CoordinatorWakingExecutors executors = new CoordinatorWakingExecutors(group, PROJECTION_WORKERS);
                                        config.onShutdown(executors::shutdown);
                                        return builder
                                                .maxSegmentProvider(segmentLimit.getIfAvailable(() -> AXON_DEFAULT_SEGMENT_LIMIT))
                                                .tokenClaimInterval(claimInterval)
                                                .claimExtensionThreshold(claimExtension)
                                                .initialSegmentCount(defaults.initialSegments())
                                                .batchSize(defaults.batchSize())
                                                .coordinatorExecutor(executors.coordinator())
                                                .workerExecutor(executors.workers());
                                    })
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.processorTransactionManager(group))
                            .registerDeadLetterQueue(group, config -> store.deadLetterQueue(group,
                                    config.eventSerializer(), config.serializer(),
                                    defaults.deadLetterMaxSequences()))
                            // where privacy is configured, a cause's text is stored sealed under the event's subject
                            .registerDeadLetterPolicy(group, config -> deadLetterPolicy.getIfAvailable(
                                    () -> (letter, cause) -> Decisions.enqueue(cause)))
                            // A replay reprocesses every event, parked ones included: it starts with an empty queue.
                            // The cache remembers which sequences this node's segments have parked, so an
                            // event of a clean sequence costs no "is it parked?" query.
                            .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                                    (config, builder) -> builder.allowReset(true).enableSequenceIdentifierCache());
                }
                // Axon has no dead-letter queue for sagas: a saga handles its own failures (retries, deadlines).
                // Batching saga events is safe because a saga's commands run and commit in units of work of their
                // own (SagaCommand): a batch holds no aggregate lock, a failed batch is handled again, and every saga
                // command is idempotent. One event per transaction paid a commit (an fsync) per saga event.
                for (String group : store.sagaProcessingGroups()) {
                    processing
                            .registerPooledStreamingEventProcessor(group, Configuration::eventStore,
                                    (config, builder) -> {
                                        // Axon's default is four workers: segments beyond them would wait in line.
                                        CoordinatorWakingExecutors executors = new CoordinatorWakingExecutors(group, sagas.segments());
                                        config.onShutdown(executors::shutdown);
                                        return builder
                                                .maxSegmentProvider(segmentLimit.getIfAvailable(() -> AXON_DEFAULT_SEGMENT_LIMIT))
                                                .tokenClaimInterval(claimInterval)
                                                .claimExtensionThreshold(claimExtension)
                                                .initialSegmentCount(sagas.segments())
                                                .batchSize(sagas.batchSize())
                                                .coordinatorExecutor(executors.coordinator())
                                                .workerExecutor(executors.workers());
                                    })
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.processorTransactionManager(group));
                }
            }
        };
    }
}
