package org.orderly.config.processing;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.orderly.config.OrderlyHealth;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.database.DatabaseProbe;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreAutoConfiguration;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Lag of every domain-store processor, as a metric and as part of each domain's health. */
@AutoConfiguration(after = DomainStoreAutoConfiguration.class)
public class ProcessingAutoConfiguration {

    @Bean
    ProcessorLag processorLag(DomainStores stores, ObjectProvider<EventStore> eventStore,
                              ObjectProvider<EventProcessingConfiguration> processing, JdbcTemplate jdbc,
                              @Qualifier("serializer") ObjectProvider<Serializer> serializer, Environment environment) {
        boolean axonServer = environment.getProperty("axon.axonserver.enabled", Boolean.class, false);
        return new ProcessorLag(stores, eventStore::getObject, processing::getObject, axonServer ? null : jdbc, serializer::getObject,
                Clock.systemUTC());
    }

    /**
     * {@code orderly.processor.event.age} for every domain-store processor, projections and sagas alike; a no-op
     * where no meter registry exists.
     */
    @Bean
    ConfigurerModule processorEventAge(DomainStores stores, ObjectProvider<MeterRegistry> meters) {
        return configurer -> {
            for (DomainStore store : stores.all()) {
                for (String group : java.util.stream.Stream.concat(store.processingGroups().stream(),
                        store.sagaProcessingGroups().stream()).toList()) {
                    configurer.eventProcessing().registerHandlerInterceptor(group, config -> {
                        MeterRegistry registry = meters.getIfAvailable();
                        return registry == null ? (unitOfWork, chain) -> chain.proceed() : EventAge.of(group, registry);
                    });
                }
            }
        };
    }

    @Bean
    org.springframework.scheduling.annotation.SchedulingConfigurer segmentCheckSchedule(LagDrivenSegmentScaler scaler,
                                                                                        ProcessorProperties properties) {
        return registrar -> registrar.addFixedDelayTask(new org.springframework.scheduling.config.FixedDelayTask(
                scaler::check, properties.segmentCheckInterval(), java.time.Duration.ZERO));
    }

    /** Absent under Axon Server, where the event store is not a table. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "axon.axonserver.enabled",
            havingValue = "false", matchIfMissing = true)
    AggregatePositions aggregatePositions(JdbcTemplate jdbc) {
        return new AggregatePositions(jdbc);
    }

    /** Splits projections that fall far behind and merges them back once they keep up. */
    @Bean
    LagDrivenSegmentScaler lagDrivenSegmentScaler(DomainStores stores, ProcessorLag lag, ProcessorProperties properties,
                                    ObjectProvider<EventProcessingConfiguration> processing,
                                    ObjectProvider<MeterRegistry> meters) {
        List<String> projections = stores.all().stream().flatMap(store -> store.processingGroups().stream()).toList();
        return new LagDrivenSegmentScaler(projections,
                group -> processing.getObject().eventProcessor(group, StreamingEventProcessor.class),
                lag::head, properties, meters.getIfAvailable(), Clock.systemUTC());
    }

    /** {@code orderly.processor.lag.events} and {@code orderly.processor.lag.seconds}, per processor. */
    @Bean
    MeterBinder processorLagMetrics(DomainStores stores, ProcessorLag lag) {
        return registry -> stores.all().forEach(store -> store.processingGroups().forEach(group -> {
            Gauge.builder("orderly.processor.lag.events", () -> lag.of(group).events())
                    .description("Events the processor has still to handle")
                    .tag("processor", group).tag("domain", store.name())
                    .register(registry);
            Gauge.builder("orderly.processor.lag.seconds", () -> {
                        var behind = lag.of(group).behind();
                        return behind == null ? Double.NaN : behind.toMillis() / 1000.0;
                    })
                    .description("How long the oldest event the processor has not handled has waited")
                    .tag("processor", group).tag("domain", store.name())
                    .register(registry);
        }));
    }

    /**
     * {@code /actuator/health/domains/<domain>}: DEGRADED while a processor (a projection or a cached copy) lags
     * beyond its bound, or holds more dead letters than the threshold. The node still serves: the overall health
     * and readiness stay 200; the domain's own group ({@link org.orderly.config.ops.OpsAutoConfiguration}) is 503.
     */
    @Bean
    HealthContributor domainsHealthContributor(DomainStores stores, ProcessorLag lag, ProcessorProperties properties,
                                               ObjectProvider<EventProcessingConfiguration> processing,
                                               LagDrivenSegmentScaler segments, DatabaseProbe database) {
        Map<String, HealthIndicator> domains = new LinkedHashMap<>();
        for (DomainStore store : stores.all()) {
            domains.put(store.name(), () -> {
                if (!database.reachable()) {
                    // Counting dead letters would wait on the domain's pool; the db check reports the outage.
                    return Health.unknown().withDetail("reason", "database unreachable")
                            .withDetail("schema", store.schema()).build();
                }
                Health.Builder health = Health.up();
                for (String group : store.processingGroups()) {
                    Lag current = lag.of(group);
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("events", current.events());
                    detail.put("behind", current.behind() == null ? "unknown" : current.behind().toString());
                    long deadLetters = processing.getObject().deadLetterQueue(group)
                            .map(queue -> queue.size()).orElse(0L);
                    detail.put("deadLetters", deadLetters);
                    detail.put("segmentsHere", segments.owned(group).size());
                    LagDrivenSegmentScaler.Change change = segments.lastChange(group);
                    if (change != null) {
                        detail.put("lastSegmentChange", change);
                        detail.put("calmChecksBeforeMerge", segments.calmChecksBeforeMerge(group));
                    }
                    health.withDetail(group, detail);
                    if (!current.within(properties.healthyLag())
                            || deadLetters > properties.deadLetterThreshold()) {
                        health.status(OrderlyHealth.DEGRADED);
                    }
                }
                if (segments.lastCheckFailure() != null) {
                    health.withDetail("segmentCheckFailure", segments.lastCheckFailure());
                }
                return health.withDetail("schema", store.schema()).build();
            });
        }
        return CompositeHealthContributor.fromMap(domains);
    }
}
