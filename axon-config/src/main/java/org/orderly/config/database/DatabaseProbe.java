package org.orderly.config.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Whether the main database answers, asked on a connection of its own that gives up after the health timeout, so
 * that a health probe never waits on a pool (whose connection timeout is longer) nor hangs on a dead network.
 * Health checks of background work ask {@link #reachable()} first, which reuses a recent answer: with the database
 * gone, {@code /actuator/health} reports it DOWN at once rather than waiting on every pool in turn.
 */
public final class DatabaseProbe {

    /** How long an answer is reused by {@link #reachable()}. */
    static final Duration REUSE = Duration.ofSeconds(2);

    private final String url;
    private final Properties connection;
    private final Clock clock;
    private volatile Answer last;

    DatabaseProbe(String url, String username, String password, Duration timeout, Clock clock) {
        this.url = url;
        this.clock = clock;
        // PostgreSQL's driver counts these timeouts in whole seconds.
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        connection = new Properties();
        connection.setProperty("user", username);
        if (password != null) {
            connection.setProperty("password", password);
        }
        connection.setProperty("connectTimeout", seconds);
        connection.setProperty("loginTimeout", seconds);
        connection.setProperty("socketTimeout", seconds);
        connection.setProperty("ApplicationName", "orderly-health");
    }

    /** Connects and runs {@code SELECT 1}; throws what the driver threw when the database does not answer. */
    public void check() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, connection); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            last = new Answer(true, clock.instant());
        } catch (SQLException | RuntimeException e) {
            last = new Answer(false, clock.instant());
            throw e;
        }
    }

    /** The last answer if recent, otherwise a new one; never waits longer than the health timeout. */
    public boolean reachable() {
        Answer answer = last;
        if (answer != null && answer.at().plus(REUSE).isAfter(clock.instant())) {
            return answer.reachable();
        }
        try {
            check();
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private record Answer(boolean reachable, Instant at) {
    }
}
