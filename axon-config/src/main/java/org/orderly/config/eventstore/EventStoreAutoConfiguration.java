package org.orderly.config.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.eventstore.gaps.GapWatchingStorageEngine;
import org.orderly.config.eventstore.gaps.PassedGaps;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Axon's JDBC storage engine (built by Axon's own auto-configuration) pointed at the {@code event_store}
 * schema. Under the {@code axonserver} profile Axon Server holds the events and this schema stays empty.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.JdbcAutoConfiguration")
@org.springframework.boot.context.properties.EnableConfigurationProperties(EventStoreProperties.class)
public class EventStoreAutoConfiguration {

    public static final String SCHEMA = "event_store";

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(SCHEMA + ".domain_event_entry")
                .snapshotTable(SCHEMA + ".snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /**
     * Duplicate keys as PostgreSQL reports them, so that an append that lost a race is a concurrency conflict
     * (Axon's default resolver, registered only while none exists, never recognises them on PostgreSQL).
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }

    /**
     * Axon's JDBC storage engine as Axon's auto-configuration builds it, but reading larger batches and parsing
     * each event's time stamp once ({@link ParsedTimestampJdbcEventStorageEngine}), with the configured gap bounds,
     * and recording every index its readers pass uncommitted ({@link GapWatchingStorageEngine}); each fetched batch
     * is shown to the {@link FetchedEventsListener}s first, and each append's events to the
     * {@link AppendingEventsListener}s before they are serialized; without Axon Server only.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager, EventSchema eventSchema,
                                          ProcessorProperties processors, EventStoreProperties settings, PassedGaps passedGaps,
                                          org.springframework.beans.factory.ObjectProvider<FetchedEventsListener>
                                                  fetchedEventsListeners,
                                          org.springframework.beans.factory.ObjectProvider<AppendingEventsListener>
                                                  appendingEventsListeners) {
        return new GapWatchingStorageEngine(new ParsedTimestampJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .batchSize(processors.readBatchSize()),
                Math.toIntExact(settings.gapTimeout().toMillis()), settings.maxGapOffset(),
                fetchedEventsListeners.orderedStream().toList(), appendingEventsListeners.orderedStream().toList()),
                passedGaps);
    }

    /**
     * Every tracking processor must belong to a domain store, which gives it a token store in its own
     * schema; this default refuses loudly instead of creating tokens where no domain owns them.
     */
    @Bean
    TokenStore tokenStore() {
        return new UndeclaredProcessorTokenStore();
    }
}
