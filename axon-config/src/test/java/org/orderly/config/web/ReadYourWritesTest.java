package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.TreeSet;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MergedTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** When a processor's token has passed a command's position. */
class ReadYourWritesTest {

    @Test
    void aTokenHasPassedAPositionAtOrBeforeItsIndexThatIsNotAmongItsGaps() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(10, new TreeSet<>(List.of(7L)));

        assertThat(ReadYourWrites.covers(token, 10)).isTrue();
        assertThat(ReadYourWrites.covers(token, 8)).isTrue();
        assertThat(ReadYourWrites.covers(token, 11)).as("beyond the index").isFalse();
        assertThat(ReadYourWrites.covers(token, 7))
                .as("committed after index 10 was read: the processor has not seen it yet").isFalse();
    }

    @Test
    void aGapBelowThePositionDoesNotHoldItBack() {
        // an index rolled back (a refused command) stays a gap until the gap timeout; it must not hold reads
        assertThat(ReadYourWrites.covers(GapAwareTrackingToken.newInstance(10, new TreeSet<>(List.of(3L))), 9))
                .isTrue();
    }

    @Test
    void aReplayHasPassedOnlyWhatItHasReplayedAndAMergeOnlyWhatBothHalvesHave() {
        GapAwareTrackingToken head = GapAwareTrackingToken.newInstance(100, new TreeSet<>());
        GapAwareTrackingToken replayed = GapAwareTrackingToken.newInstance(40, new TreeSet<>());
        MergedTrackingToken merging = new MergedTrackingToken(GapAwareTrackingToken.newInstance(50, new TreeSet<>()),
                GapAwareTrackingToken.newInstance(30, new TreeSet<>()));

        assertThat(ReadYourWrites.covers(ReplayToken.createReplayToken(head, replayed), 40)).isTrue();
        assertThat(ReadYourWrites.covers(ReplayToken.createReplayToken(head, replayed), 41)).isFalse();
        assertThat(ReadYourWrites.covers(merging, 30)).isTrue();
        assertThat(ReadYourWrites.covers(merging, 31)).isFalse();
    }

    @Test
    void noTokenHasPassedNothingAndAnotherKindOfTokenIsJudgedByItsPosition() {
        assertThat(ReadYourWrites.covers(null, 0)).isFalse();
        assertThat(ReadYourWrites.covers(new GlobalSequenceTrackingToken(5), 5)).isTrue();
        assertThat(ReadYourWrites.covers(new GlobalSequenceTrackingToken(5), 6)).isFalse();
    }

    @Test
    void aPositionIsAWholeNumberAndAnythingElseNamesTheHeader() {
        assertThat(ConsistencyHeaders.position(" 42 ")).isEqualTo(42);
        for (String malformed : List.of("", "abc", "-1", "4.2", "1e3", "1234567890123456789")) {
            ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class,
                    () -> ConsistencyHeaders.position(malformed));
            assertThat(refused).as(malformed).isNotNull();
            assertThat(refused.getBody().getProperties().get("errors").toString()).contains(ConsistencyHeaders.POSITION);
        }
    }
}
