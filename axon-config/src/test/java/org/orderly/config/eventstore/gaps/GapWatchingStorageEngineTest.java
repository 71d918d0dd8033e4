package org.orderly.config.eventstore.gaps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

class GapWatchingStorageEngineTest {

    private final PassedGaps gaps = new PassedGaps(100, Duration.ofHours(1), Clock.systemUTC());

    private static GapAwareTrackingToken token(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, new TreeSet<>(List.of(gaps)));
    }

    @Test
    void readingTheNextIndexRecordsNothing() {
        GapWatchingStorageEngine.recordGivenUp(token(10), token(11), "event", gaps);

        assertThat(gaps.watched()).isEmpty();
    }

    @Test
    void anIndexSkippedAndKeptAsAGapIsNotRecordedUntilTheTokenDropsIt() {
        GapWatchingStorageEngine.recordGivenUp(token(10), token(12, 11L), "event", gaps);
        assertThat(gaps.watched()).isEmpty();

        // beyond the maximum gap offset the token truncates its gap
        GapWatchingStorageEngine.recordGivenUp(token(12, 11L), token(13), "event", gaps);
        assertThat(gaps.watched()).containsExactly(11L);
    }

    @Test
    void anIndexSkippedWithoutBecomingAGapIsRecorded() {
        // an event older than the gap timeout keeps no gaps
        GapWatchingStorageEngine.recordGivenUp(token(10, 7L), token(14), "event", gaps);

        assertThat(gaps.watched()).containsExactly(7L, 11L, 12L, 13L);
    }

    @Test
    void readingAGapIsNotPassingIt() {
        GapWatchingStorageEngine.recordGivenUp(token(12, 8L, 11L), token(12, 8L), "event", gaps);

        assertThat(gaps.watched()).isEmpty();
    }

    @Test
    void aReadOfAGapThatDropsOthersRecordsThemAll() {
        GapWatchingStorageEngine.recordGivenUp(token(12, 8L, 11L), token(12), "event", gaps);

        assertThat(gaps.watched()).containsExactly(8L, 11L);
    }

    @Test
    void aProcessorHandlingAPassedIndexThroughItsOwnReadIsKnownToHaveHandledIt() {
        GapWatchingStorageEngine.recordGivenUp(token(12, 11L), token(13), "event", gaps); // one read gives 11 up
        // another read still waited for 11 and fills the gap: its token keeps index 13
        GapWatchingStorageEngine.recordGivenUp(token(13, 11L), token(13), "late-event", gaps);
        gaps.handled("sagas", "late-event", 13);
        gaps.handled("projection", "unrelated", 13);
        assertThat(gaps.handledBy(11)).containsExactly("sagas");

        // a read forward reaches 11 at its token's index
        gaps.handled("projection", "late-event-again", 11);
        assertThat(gaps.handledBy(11)).containsExactlyInAnyOrder("sagas", "projection");

        gaps.remove(11);
        assertThat(gaps.handledBy(11)).hasSize(2);
        gaps.forget(11);
        assertThat(gaps.handledBy(11)).isEmpty();
    }

    @Test
    void passedIndexesAreWatchedUpToTheirNumberAndAge() {
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        PassedGaps bounded = new PassedGaps(2, Duration.ofMinutes(10), clock);
        bounded.passed(5);
        bounded.passed(6);
        bounded.passed(7);
        assertThat(bounded.watched()).containsExactly(6L, 7L);

        clock.now = start.plus(Duration.ofMinutes(11));
        bounded.passed(9);
        assertThat(bounded.watched()).containsExactly(9L);
        assertThat(bounded.remove(9)).isEqualTo(clock.now);
        assertThat(bounded.watched()).isEmpty();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
