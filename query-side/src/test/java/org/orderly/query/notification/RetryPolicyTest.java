package org.orderly.query.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void theWaitStartsAtTheBaseAndDoublesAfterEachFailedAttempt() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(8)).isEqualTo(Duration.ofSeconds(128));
    }

    @Test
    void theWaitNeverExceedsTheMaximum() {
        assertThat(policy.backoff(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(policy.backoff(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoff(40)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aHugeNumberOfAttemptsCapsAtTheMaximumInsteadOfOverflowing() {
        RetryPolicy longBase = new RetryPolicy(1000, Duration.ofDays(1000), Duration.ofDays(100_000));

        assertThat(longBase.backoff(63)).isEqualTo(Duration.ofDays(100_000));
        assertThat(longBase.backoff(64)).isEqualTo(Duration.ofDays(100_000));
        assertThat(longBase.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(100_000));
    }

    @Test
    void anotherAttemptIsAllowedOnlyBelowTheMaximumNumberOfAttempts() {
        assertThat(policy.allowsAnotherAttempt(7)).isTrue();
        assertThat(policy.allowsAnotherAttempt(8)).isFalse();
        assertThat(new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)).allowsAnotherAttempt(1)).isFalse();
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStartup() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.backoff(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
