package org.orderly.config.eventstore;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon's JDBC storage engine when PostgreSQL refused an append for a key another transaction holds: the
 * aggregate's next sequence number, appended first by another command, on this node or another. The engine then
 * reports a {@link org.axonframework.modelling.command.ConcurrencyException} (an
 * {@link org.axonframework.modelling.command.AggregateStreamCreationException} for an aggregate's first event), which
 * the command gateway retries and the web layer answers with 409, instead of an {@code EventStoreException}.
 * <p>
 * Axon's own {@code JdbcSQLErrorCodesResolver} looks only for {@link SQLIntegrityConstraintViolationException}, which
 * the PostgreSQL driver never throws: it reports a unique violation as an {@link SQLException} with SQLSTATE
 * {@value #UNIQUE_VIOLATION}, and a failed batch (Axon appends in batches) as a {@code BatchUpdateException} carrying
 * that SQLSTATE, with the statement's own error as its next exception.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). AxonFramework issue 313;
 * this can go when Axon 4.13's {@code JdbcSQLErrorCodesResolver} reads SQLSTATE 23505.
 */
public class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    /** PostgreSQL's {@code unique_violation}. */
    public static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
