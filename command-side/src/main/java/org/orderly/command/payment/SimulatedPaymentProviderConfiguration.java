package org.orderly.command.payment;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The simulator as the fallback provider. This is auto-configuration, not a scanned configuration, so
 * that its condition is evaluated after every application bean is known: any other
 * {@link PaymentProvider} bean, wherever it is declared, replaces the simulator.
 */
@AutoConfiguration
@EnableConfigurationProperties(PaymentSimulatorProperties.class)
class SimulatedPaymentProviderConfiguration {

    @Bean
    @ConditionalOnMissingBean(PaymentProvider.class)
    SimulatedPaymentProvider simulatedPaymentProvider(PaymentSimulatorProperties settings) {
        return new SimulatedPaymentProvider(settings);
    }
}
