package org.orderly.command.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;
import org.orderly.command.payment.PaymentProvider.AuthorizationResult;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SimulatedPaymentProviderTest {

    private SimulatedPaymentProvider provider = new SimulatedPaymentProvider(PaymentSimulatorProperties.defaults());

    @Test
    void approvesUpToAndIncludingTenThousand() throws Exception {
        assertThat(answer("0.01")).isEqualTo(AuthorizationResult.approval());
        assertThat(answer("10000.00")).isEqualTo(AuthorizationResult.approval());
    }

    @Test
    void declinesAboveTenThousandWithAReason() throws Exception {
        AuthorizationResult result = answer("10000.01");

        assertThat(result.approved()).isFalse();
        assertThat(result.reason()).contains("10000.00");
        assertThat(answer("50000.00").approved()).isFalse();
    }

    @Test
    void neverAnswersAboveFiftyThousand() {
        CompletableFuture<AuthorizationResult> future = authorize("50000.01");

        assertThat(future).isNotDone();
        assertThatThrownBy(() -> future.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void theThresholdsAreConfigurable() throws Exception {
        provider = new SimulatedPaymentProvider(
                new PaymentSimulatorProperties(new BigDecimal("5.00"), new BigDecimal("7.00"), Duration.ZERO));

        assertThat(answer("5.00").approved()).isTrue();
        assertThat(answer("5.01").approved()).isFalse();
        assertThat(authorize("7.01")).isNotDone();
    }

    @Test
    void theAnswerComesNoEarlierThanTheConfiguredDelay() throws Exception {
        Duration delay = Duration.ofMillis(150);
        provider = new SimulatedPaymentProvider(new PaymentSimulatorProperties(
                new BigDecimal("10000.00"), new BigDecimal("50000.00"), delay));

        long started = System.nanoTime();
        CompletableFuture<AuthorizationResult> future = authorize("10.00");
        assertThat(future).as("answered at once despite the delay").isNotDone();
        AuthorizationResult result = future.get(5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.approved()).isTrue();
        assertThat(took).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void withoutADelayTheAnswerIsImmediate() {
        assertThat(authorize("10.00")).isCompletedWithValue(AuthorizationResult.approval());
    }

    @Test
    void theSettingsBindFromOrderlyPaymentsSimulatorWithTheDocumentedDefaults() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SimulatedPaymentProviderConfiguration.class));

        runner.run(context -> {
            PaymentSimulatorProperties defaults = context.getBean(PaymentSimulatorProperties.class);
            assertThat(defaults.declineAbove()).isEqualByComparingTo("10000.00");
            assertThat(defaults.noAnswerAbove()).isEqualByComparingTo("50000.00");
            assertThat(defaults.answerDelay()).isZero();
            assertThat(context).hasSingleBean(PaymentProvider.class).hasSingleBean(SimulatedPaymentProvider.class);
        });
        runner.withPropertyValues("orderly.payments.simulator.decline-above=20.00",
                        "orderly.payments.simulator.no-answer-above=30.00",
                        "orderly.payments.simulator.answer-delay=250ms")
                .run(context -> {
                    PaymentSimulatorProperties bound = context.getBean(PaymentSimulatorProperties.class);
                    assertThat(bound.declineAbove()).isEqualByComparingTo("20.00");
                    assertThat(bound.noAnswerAbove()).isEqualByComparingTo("30.00");
                    assertThat(bound.answerDelay()).isEqualTo(Duration.ofMillis(250));
                });
    }

    @Test
    void anyOtherPaymentProviderBeanReplacesTheSimulator() {
        PaymentProvider real = (paymentId, orderId, amount) -> new CompletableFuture<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SimulatedPaymentProviderConfiguration.class))
                .withBean(PaymentProvider.class, () -> real)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SimulatedPaymentProvider.class);
                    assertThat(context.getBean(PaymentProvider.class)).isSameAs(real);
                });
    }

    private AuthorizationResult answer(String amount) throws Exception {
        return authorize(amount).get(5, TimeUnit.SECONDS);
    }

    private CompletableFuture<AuthorizationResult> authorize(String amount) {
        return provider.authorize(PaymentId.newId(), OrderId.newId(), Money.of(amount, "EUR"));
    }
}
