package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Two nodes on one database, each with its own {@link ProjectionCommits}: a processor's commit on one wakes a read
 * waiting on the other. The waits look again only every five minutes by themselves, so only the notification can
 * end them within the test's patience.
 */
class ProjectionCommitNotificationsTest {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource listening;
    private static HikariDataSource committing;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        listening = pool();
        committing = pool();
    }

    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        pool.setUsername("postgres");
        pool.setPassword("postgres");
        pool.setMaximumPoolSize(2);
        return pool;
    }

    @AfterAll
    static void stop() throws Exception {
        listening.close();
        committing.close();
        postgres.close();
    }

    @Test
    void aReadWaitingOnOneNodeWakesWhenTheProcessorCommitsOnAnother() throws Exception {
        ProjectionCommits here = new ProjectionCommits(Duration.ofMinutes(5), 32);
        ProjectionCommits there = new ProjectionCommits(Duration.ofMinutes(5), 32);
        try (ProjectionCommitNotifications listener = ProjectionCommitNotifications.listen(listening, here, "test")) {
            assertThat(listener.awaitListening(Duration.ofSeconds(30))).as("listening").isTrue();
            AtomicBoolean caughtUp = new AtomicBoolean();
            AtomicInteger looks = new AtomicInteger();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> here.awaitUntil(
                    List.of("order-customer-copies"), Duration.ofSeconds(60), () -> {
                        looks.incrementAndGet();
                        return caughtUp.get();
                    }));
            awaitLooks(looks, 2);

            caughtUp.set(true);
            commitOn(there, "order-customer-copies");

            assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCommitOfAnotherProcessorLeavesTheWaitAlone() throws Exception {
        ProjectionCommits here = new ProjectionCommits(Duration.ofMinutes(5), 32);
        ProjectionCommits there = new ProjectionCommits(Duration.ofMinutes(5), 32);
        try (ProjectionCommitNotifications listener = ProjectionCommitNotifications.listen(listening, here, "test")) {
            assertThat(listener.awaitListening(Duration.ofSeconds(30))).as("listening").isTrue();
            AtomicInteger looks = new AtomicInteger();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> here.awaitUntil(
                    List.of("return-order-copies"), Duration.ofSeconds(60), () -> looks.incrementAndGet() < 0));
            awaitLooks(looks, 2);

            commitOn(there, "customers");
            Thread.sleep(1_000);

            assertThat(looks).as("looked again only for its own processor's commits").hasValue(2);
            commitOn(there, "return-order-copies");
            awaitLooks(looks, 3);
            assertThat(waiting).isNotDone();
        }
    }

    /** A transaction of {@code processor} on the other node, through the transaction manager its processors use. */
    private static void commitOn(ProjectionCommits node, String processor) {
        TransactionManager transactions = ProjectionCommitNotifications.notifying(
                new SpringTransactionManager(new DataSourceTransactionManager(committing)),
                new JdbcTemplate(committing), processor, node);
        Transaction transaction = transactions.startTransaction();
        transaction.commit();
    }

    private static void awaitLooks(AtomicInteger looks, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (looks.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(looks.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
