package org.orderly.config.eventstore;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.orderly.config.ProcessorProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Replaces the embedded event store Axon would build with {@link NotifyingEventStore}, which wakes
 * processors when events arrive instead of letting them poll. It backs off where Axon would too: with
 * Axon Server (whose streams notify on their own) or any other event bus.
 */
@AutoConfiguration(
        afterName = {"org.axonframework.springboot.autoconfig.JdbcAutoConfiguration",
                "org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration"},
        beforeName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
public class NotifyingEventStoreAutoConfiguration {

    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    @ConditionalOnMissingBean(EventBus.class)
    @ConditionalOnBean(EventStorageEngine.class)
    NotifyingEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                   ProcessorProperties properties) {
        return NotifyingEventStore.create(storageEngine,
                configuration.messageMonitor(EventStore.class, "eventStore"),
                configuration.getComponent(EventBusSpanFactory.class),
                properties.fetchDelay().toMillis(),
                properties.wakeUpInterval());
    }
}
