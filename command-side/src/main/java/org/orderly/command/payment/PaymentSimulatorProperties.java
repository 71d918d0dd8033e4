package org.orderly.command.payment;

import java.math.BigDecimal;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@link SimulatedPaymentProvider} answers, under {@code orderly.payments.simulator.*}. Amounts are
 * compared in the payment's own currency, whatever it is.
 *
 * @param declineAbove  an authorization above this amount is declined; 10000.00 unless set.
 * @param noAnswerAbove above this amount the simulated provider never answers, like a provider gone silent: the
 *                      payment stays pending until someone cancels its authorization. 50000.00 unless set.
 * @param answerDelay   how long the simulated provider takes to answer; zero answers at once.
 */
@ConfigurationProperties("orderly.payments.simulator")
public record PaymentSimulatorProperties(@DefaultValue("10000.00") BigDecimal declineAbove,
                                         @DefaultValue("50000.00") BigDecimal noAnswerAbove,
                                         @DefaultValue("0s") Duration answerDelay) {

    /** Every default, as a node without any {@code orderly.payments.simulator.*} setting runs. */
    public static PaymentSimulatorProperties defaults() {
        return new PaymentSimulatorProperties(new BigDecimal("10000.00"), new BigDecimal("50000.00"), Duration.ZERO);
    }
}
