package org.orderly.config.query;

import org.axonframework.config.Configuration;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Axon's local query bus, as Axon's auto-configuration builds it but without a transaction around each
 * query handler. Axon's would open a transaction on the event store's database, and so hold one of its
 * few connections, for the whole of every query, although every Orderly query handler reads its own
 * domain's store (with its own pool) and needs none. Under load (order placement asks for the ordering
 * reference, which waits for the order domain's pool) those idle connections starved every command,
 * the order saga's above all. Without Axon Server only; Axon Server's bus is left as it is.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). This can go when Axon's
 * auto-configured {@code SimpleQueryBus} takes no transaction manager.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
public class QueryBusAutoConfiguration {

    @Bean
    @Qualifier("localSegment")
    SimpleQueryBus queryBus(Configuration axonConfiguration) {
        return SimpleQueryBus.builder()
                .messageMonitor(axonConfiguration.messageMonitor(QueryBus.class, "queryBus"))
                .errorHandler(axonConfiguration.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(axonConfiguration.getComponent(QueryUpdateEmitter.class))
                .spanFactory(axonConfiguration.getComponent(QueryBusSpanFactory.class))
                .build();
    }
}
