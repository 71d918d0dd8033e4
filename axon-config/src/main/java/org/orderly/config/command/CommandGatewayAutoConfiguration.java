package org.orderly.config.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.lifecycle.Phase;

/**
 * The command gateway every sender uses (controllers, sagas, schedulers): Axon's own, with the
 * {@link ConflictRetryScheduler}, so that several nodes handling commands for one aggregate at once answer a lost
 * race by deciding again, not with an error. Configured before Axon's auto-configuration, whose plain gateway then
 * stands aside. With {@code orderly.commands.group-commit.enabled} (the default), the local command bus is the
 * {@link GroupCommitCommandBus} in place of Axon's, built as Axon builds its own.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@EnableConfigurationProperties({CommandProperties.class, GroupCommitProperties.class})
public class CommandGatewayAutoConfiguration {

    /** Every command handler's refusals reach the sender as {@link RefusalInterceptor} shapes them. */
    @Bean
    ConfigurerModule refusalInterceptorRegistration() {
        return configurer -> configurer.onInitialize(config -> config.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                () -> config.commandBus().registerHandlerInterceptor(new RefusalInterceptor())));
    }

    /** Axon's local command bus as Axon's auto-configuration builds it, with group commit. */
    @Bean
    @Qualifier("localSegment")
    @ConditionalOnProperty(name = "orderly.commands.group-commit.enabled", havingValue = "true", matchIfMissing = true)
    SimpleCommandBus groupCommitCommandBus(TransactionManager transactionManager,
                                           org.axonframework.config.Configuration axonConfiguration,
                                           DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                                           GroupCommitProperties properties, ObjectProvider<MeterRegistry> meters) {
        SimpleCommandBus.Builder builder = SimpleCommandBus.builder()
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axonConfiguration.messageMonitor(CommandBus.class, "commandBus"));
        GroupCommitCommandBus commandBus = new GroupCommitCommandBus(builder, transactionManager,
                properties.maxBatch(), properties.maxWait(), meters.getIfAvailable(() -> Metrics.globalRegistry));
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        return commandBus;
    }

    @Bean
    ConflictRetryScheduler conflictRetryScheduler(CommandProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new ConflictRetryScheduler(properties, meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ConflictRetryScheduler conflictRetryScheduler) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(conflictRetryScheduler).build();
    }
}
