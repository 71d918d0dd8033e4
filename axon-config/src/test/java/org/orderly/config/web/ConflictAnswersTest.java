package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** What a command that lost to concurrent commands answers, once its retries are spent: a 409, never a 500. */
class ConflictAnswersTest {

    private final ProblemAdvice advice = new ProblemAdvice();

    @Test
    void aLostAppendIsA409ThatInvitesARetry() {
        ResponseEntity<ProblemDetail> answer = advice.conflict(
                new ConcurrencyException("An event for aggregate [x] at sequence [7] was already inserted"));

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.getBody().getDetail()).doesNotContain("aggregate", "sequence");
    }

    @Test
    void aResourceWhoseIdExistsIsA409WithoutRetryAfter() {
        ResponseEntity<ProblemDetail> answer = advice.conflict(
                new AggregateStreamCreationException("An event for aggregate [x] at sequence [0] was already inserted"));

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        assertThat(answer.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void aDeadlockVictimOrAConflictCrossingACommandBusIsA409Too() {
        ResponseEntity<ProblemDetail> deadlock = advice.failed(new CannotAcquireLockException("claim failed",
                new SQLException("deadlock detected", "40P01")));
        ResponseEntity<ProblemDetail> wrapped = advice.commandFailed(new CommandExecutionException("failed",
                new ConcurrencyException("lost")));

        assertThat(deadlock.getStatusCode().value()).isEqualTo(409);
        assertThat(wrapped.getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void anyOtherFailureIsStillA500() {
        assertThat(advice.failed(new IllegalStateException("a bug")).getStatusCode().value()).isEqualTo(500);
    }
}
