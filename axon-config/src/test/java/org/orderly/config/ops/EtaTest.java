package org.orderly.config.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class EtaTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void aQuarterDoneInTenSecondsNeedsThirtyMore() {
        assertThat(Eta.secondsLeft(START, START.plusSeconds(10), 25.0)).isEqualTo(30L);
    }

    @Test
    void ninetyPercentDoneInNinetySecondsNeedsTenMore() {
        assertThat(Eta.secondsLeft(START, START.plusSeconds(90), 90.0)).isEqualTo(10L);
    }

    @Test
    void withoutProgressOrElapsedTimeThereIsNoEstimate() {
        assertThat(Eta.secondsLeft(START, START.plusSeconds(10), 0.0)).isNull();
        assertThat(Eta.secondsLeft(START, START, 50.0)).isNull();
    }

    @Test
    void aFinishedRunNeedsNothingMore() {
        assertThat(Eta.secondsLeft(START, START.plusSeconds(10), 100.0)).isZero();
    }
}
