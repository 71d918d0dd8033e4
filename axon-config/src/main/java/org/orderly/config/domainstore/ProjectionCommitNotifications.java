package org.orderly.config.domainstore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells every node, through PostgreSQL, that a processor's transaction committed, so that {@link ProjectionCommits}
 * wakes reads waiting for that processor whichever process runs it: a command node waiting for the order domain's
 * copies, kept by a query node's processors (ADR 0011), learns of their commit as soon as a node in the same process
 * would.
 * <p>
 * Each transaction of a domain-store processor (a batch, and the token updates of its coordinator) sends
 * {@code NOTIFY} {@value #CHANNEL} with the processor's name before it commits. PostgreSQL delivers a notification
 * only when, and only if, its transaction commits, so a woken read sees the batch and its token. Every node keeps one
 * connection per database listening on the channel. A notification lost while that connection is re-established
 * costs only latency: a waiting read also looks again every {@link ProjectionCommits#RECHECK}.
 */
final class ProjectionCommitNotifications implements AutoCloseable {

    static final String CHANNEL = "orderly_projection_commits";

    private static final Logger log = LoggerFactory.getLogger(ProjectionCommitNotifications.class);
    /** How long a listening connection blocks for notifications before it looks whether it was closed. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final String url;
    private final String username;
    private final String password;
    private final ProjectionCommits commits;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread listener;

    private ProjectionCommitNotifications(HikariDataSource database, ProjectionCommits commits, String name) {
        this.url = database.getJdbcUrl();
        this.username = database.getUsername();
        this.password = database.getPassword();
        this.commits = commits;
        this.listener = new Thread(this::listen, "projection-commits[" + name + "]");
        this.listener.setDaemon(true);
    }

    /** Starts listening on the database of {@code store}'s pool, as the store's own role. */
    static ProjectionCommitNotifications listen(DomainStore store, ProjectionCommits commits) {
        return listen(store.hikari(), commits, store.name());
    }

    /** Starts listening on {@code database}, as its pool's role. */
    static ProjectionCommitNotifications listen(HikariDataSource database, ProjectionCommits commits, String name) {
        ProjectionCommitNotifications notifications = new ProjectionCommitNotifications(database, commits, name);
        notifications.listener.start();
        return notifications;
    }

    /**
     * {@code processor}'s transactions, each telling every node once it has committed ({@code NOTIFY} before the
     * commit, and this node's waiting reads at once after it).
     */
    static TransactionManager notifying(TransactionManager transactions, JdbcTemplate store, String processor,
                                        ProjectionCommits commits) {
        return () -> {
            Transaction transaction = transactions.startTransaction();
            return new Transaction() {
                @Override
                public void commit() {
                    try {
                        // on the transaction's own connection: delivered with the commit, dropped with a rollback
                        store.query("SELECT pg_notify(?, ?)", rs -> null, CHANNEL, processor);
                    } catch (RuntimeException e) {
                        // an aborted transaction refuses the statement; its commit below reports why
                        log.debug("No commit notification for processor {}: {}", processor, e.getMessage());
                    }
                    transaction.commit();
                    commits.committed(processor);
                }

                @Override
                public void rollback() {
                    transaction.rollback();
                }
            };
        };
    }

    private void listen() {
        while (!closed.get()) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                listening.countDown();
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed.get()) {
                    PGNotification[] received = notifications.getNotifications(RECEIVE_TIMEOUT_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            commits.committed(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed.get()) {
                    return;
                }
                log.warn("Listening for projection commits on {} failed, trying again in {}: {}", url,
                        RECONNECT_DELAY, e.getMessage());
                try {
                    Thread.sleep(RECONNECT_DELAY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Whether the first connection listens, within {@code wait}. */
    boolean awaitListening(Duration wait) throws InterruptedException {
        return listening.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed.set(true);
        listener.interrupt();
    }
}
