package org.orderly.config.eventstore.gaps;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.orderly.config.eventstore.EventStoreProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The late-commit watch of the JDBC event store (see the package description); not under Axon Server. The storage
 * engine bean ({@code EventStoreAutoConfiguration}) records into {@link PassedGaps}.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
@org.springframework.boot.context.properties.EnableConfigurationProperties(EventStoreProperties.class)
public class LateCommitsAutoConfiguration {

    @Bean
    PassedGaps passedGaps(EventStoreProperties settings) {
        return new PassedGaps(settings.maxWatchedGaps(), settings.lateCommitHorizon(), Clock.systemUTC());
    }

    @Bean
    LateCommitAuditor lateCommitAuditor(PassedGaps gaps, EventStorageEngine engine, JdbcTemplate jdbc,
                                        ObjectProvider<EventProcessingConfiguration> processing,
                                        ObjectProvider<MeterRegistry> meters, EventStoreProperties settings) {
        if (!(engine instanceof GapWatchingStorageEngine watching)) {
            throw new IllegalStateException("The event storage engine does not record passed gaps: " + engine);
        }
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Gauge.builder("orderly.eventstore.gaps.watched", gaps, PassedGaps::size)
                    .description("Event store indexes readers passed uncommitted, watched for a late commit")
                    .register(registry);
        }
        return new LateCommitAuditor(gaps, watching, jdbc, processing::getObject,
                settings.lateCommitCheckInterval(), settings.lateCommitHorizon(), registry, Clock.systemUTC());
    }

    /** Lets every event processor tell which late events it handled itself ({@link HandledLateEvents}). */
    @Bean
    ConfigurerModule handledLateEvents(PassedGaps gaps) {
        return configurer -> configurer.eventProcessing()
                .registerDefaultHandlerInterceptor((config, processor) -> new HandledLateEvents(processor, gaps));
    }

    /** {@code lateCommits}: what was found and whom it reached; DEGRADED while looking or delivering fails. */
    @Bean
    HealthIndicator lateCommitsHealthIndicator(LateCommitAuditor auditor) {
        // a failing look-up or delivery needs an operator but does not stop the node serving: DEGRADED, not DOWN
        return () -> (auditor.isFailing() ? Health.status(org.orderly.config.OrderlyHealth.DEGRADED) : Health.up())
                .withDetails(auditor.details()).build();
    }
}
