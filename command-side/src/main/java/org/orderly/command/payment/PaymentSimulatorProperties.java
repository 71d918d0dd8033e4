package org.orderly.command.payment;

import java.math.BigDecimal;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How {@link SimulatedPaymentProvider} answers, under {@code orderly.payments.simulator.*}. Amounts are
 * compared in the payment's own currency, whatever it is.
 */
@ConfigurationProperties("orderly.payments.simulator")
public class PaymentSimulatorProperties {

    /** An authorization above this amount is declined; 10000.00 unless set. */
    private BigDecimal declineAbove = new BigDecimal("10000.00");

    /**
     * Above this amount the simulated provider never answers, like a provider gone silent: the payment
     * stays pending until someone cancels its authorization. 50000.00 unless set.
     */
    private BigDecimal noAnswerAbove = new BigDecimal("50000.00");

    /** How long the simulated provider takes to answer; zero answers at once. */
    private Duration answerDelay = Duration.ZERO;

    public BigDecimal getDeclineAbove() { return declineAbove; }
    public void setDeclineAbove(BigDecimal declineAbove) { this.declineAbove = declineAbove; }
    public BigDecimal getNoAnswerAbove() { return noAnswerAbove; }
    public void setNoAnswerAbove(BigDecimal noAnswerAbove) { this.noAnswerAbove = noAnswerAbove; }
    public Duration getAnswerDelay() { return answerDelay; }
    public void setAnswerDelay(Duration answerDelay) { this.answerDelay = answerDelay; }
}
