package org.orderly.config.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** The failures PostgreSQL's driver reports when an append meets a key another transaction holds, and others. */
class PostgresDuplicateKeyResolverTest {

    private final PostgresDuplicateKeyResolver resolver = new PostgresDuplicateKeyResolver();

    @Test
    void aUniqueViolationAnywhereInTheCausesIsADuplicateKey() {
        assertThat(resolver.isDuplicateKeyViolation(new IllegalStateException("append failed",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isTrue();
    }

    @Test
    void aBatchAbortedByAUniqueViolationIsADuplicateKeyByItsStateOrItsNextException() {
        assertThat(resolver.isDuplicateKeyViolation(new BatchUpdateException(
                "Batch entry 0 was aborted", "23505", new int[0]))).isTrue();
        BatchUpdateException withoutState = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        withoutState.setNextException(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(resolver.isDuplicateKeyViolation(withoutState)).isTrue();
    }

    @Test
    void otherDatabaseFailuresAreNotDuplicateKeys() {
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("connection lost", "08006"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("violates foreign key constraint", "23503")))
                .isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new IllegalStateException("no cause"))).isFalse();
    }
}
