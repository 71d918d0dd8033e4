package org.orderly.config.domainstore;


import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.orderly.config.processing.EventAge;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.cluster.SegmentBalance;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.axonframework.messaging.deadletter.Decisions;
import org.orderly.config.privacy.DeadLetterCauses;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.orderly.config.web.WebProperties;
import org.springframework.context.annotation.Bean;

/**
 * Turns every {@link DomainStoreDefinition} into a running domain store, and gives each of its
 * processing groups a pooled streaming processor whose token store, dead-letter queue and transaction
 * manager all belong to that domain; saga processors get the same without the dead-letter queue.
 */
@AutoConfiguration(after = OrderlyDatabaseAutoConfiguration.class)
@EnableConfigurationProperties(WebProperties.class)
public class DomainStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    DomainStores domainStores(ObjectProvider<DomainStoreDefinition> definitions,
                              ObjectProvider<DomainStoreReader> readers, OrderlyDatabase database,
                              OrderlyProperties properties, WebProperties web) {
        return DomainStores.open(definitions.orderedStream().toList(), readers.orderedStream().toList(), database,
                properties, web.maxWaitingReads());
    }

    @Bean
    HandlerEnhancerDefinition savepointPerEventHandler(DomainStores stores) {
        return new SavepointIsolatingHandlerEnhancer(stores);
    }

    @Bean
    ProjectionCommits projectionCommits(DomainStores stores) {
        return stores.commits();
    }

    /** Worker threads of a projection processor, Axon's default: its segments' batches run side by side. */
    static final int PROJECTION_WORKERS = 4;

    @Bean
    ConfigurerModule domainStoreProcessors(DomainStores stores, OrderlyProperties properties,
                                           ObjectProvider<MeterRegistry> meters,
                                           ObjectProvider<DeadLetterCauses> causes,
                                           SegmentBalance balance) {
        OrderlyProperties.Processors defaults = properties.getProcessors();
        OrderlyProperties.Sagas sagas = properties.getSagas();
        long claimInterval = defaults.getTokenClaimInterval().toMillis();
        // An idle node renews its claims three times per timeout: one late renewal never loses a claim.
        long claimExtension = Math.max(1, defaults.getClaimTimeout().toMillis() / 3);
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
                                                .maxSegmentProvider(balance.balance(group, store))
                                                .tokenClaimInterval(claimInterval)
                                                .claimExtensionThreshold(claimExtension)
                                                .initialSegmentCount(defaults.getInitialSegments())
                                                .batchSize(defaults.getBatchSize())
                                                .coordinatorExecutor(executors.coordinator())
                                                .workerExecutor(executors.workers());
                                    })
                            .registerHandlerInterceptor(group, config -> eventAge(group, meters))
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.axonTransactionManager())
                            .registerDeadLetterQueue(group, config -> store.deadLetterQueue(group,
                                    config.eventSerializer(), config.serializer(),
                                    defaults.getDeadLetterMaxSequences()))
                            // a cause's text is stored sealed under the event's subject, never in readable form
                            .registerDeadLetterPolicy(group, config -> {
                                DeadLetterCauses sealing = causes.getIfAvailable();
                                return sealing != null ? sealing.policy()
                                        : (letter, cause) -> Decisions.enqueue(cause);
                            })
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
                                        CoordinatorWakingExecutors executors = new CoordinatorWakingExecutors(group, sagas.getSegments());
                                        config.onShutdown(executors::shutdown);
                                        return builder
                                                .maxSegmentProvider(balance.balance(group, store))
                                                .tokenClaimInterval(claimInterval)
                                                .claimExtensionThreshold(claimExtension)
                                                .initialSegmentCount(sagas.getSegments())
                                                .batchSize(sagas.getBatchSize())
                                                .coordinatorExecutor(executors.coordinator())
                                                .workerExecutor(executors.workers());
                                    })
                            .registerHandlerInterceptor(group, config -> eventAge(group, meters))
                            .registerTokenStore(group, config -> store.tokenStore(config.serializer()))
                            .registerTransactionManager(group, config -> store.axonTransactionManager());
                }
            }
        };
    }

    /** {@code orderly.processor.event.age}; a no-op where no meter registry exists. */
    private static MessageHandlerInterceptor<? super EventMessage<?>> eventAge(String group,
                                                                             ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable();
        return registry == null ? (unitOfWork, chain) -> chain.proceed() : EventAge.of(group, registry);
    }
}
