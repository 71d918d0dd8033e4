package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseUnreachableTest {

    @Test
    void aPoolTimeoutAConnectionThatCouldNotBeMadeOrWasLostAreTheDatabaseBeingUnreachable() {
        assertThat(ProblemAdvice.databaseUnreachable(new CannotCreateTransactionException("no transaction",
                new SQLTransientConnectionException("orderly-main - Connection is not available")))).isTrue();
        assertThat(ProblemAdvice.databaseUnreachable(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(ProblemAdvice.databaseUnreachable(new CommandExecutionException("failed",
                new RuntimeException(new ConnectException("Connection refused"))))).isTrue();
        assertThat(ProblemAdvice.databaseUnreachable(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(ProblemAdvice.databaseUnreachable(new SQLException("terminating connection", "57P01"))).isTrue();
    }

    @Test
    void otherDatabaseFailuresAreNot() {
        assertThat(ProblemAdvice.databaseUnreachable(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(ProblemAdvice.databaseUnreachable(new IllegalStateException("a bug"))).isFalse();
    }
}
