package org.orderly.config.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.axonframework.commandhandling.CommandBus;
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
 * stands aside.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@EnableConfigurationProperties(CommandProperties.class)
public class CommandGatewayAutoConfiguration {

    /** Every command handler's refusals reach the sender as {@link RefusalInterceptor} shapes them. */
    @Bean
    ConfigurerModule refusalInterceptorRegistration() {
        return configurer -> configurer.onInitialize(config -> config.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                () -> config.commandBus().registerHandlerInterceptor(new RefusalInterceptor())));
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
