package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A projection's deferred writes on a real PostgreSQL: they go out when the batch commits, and a statement across
 * many keys (an erasure) runs after the writes the batch deferred before it, so it sees their rows.
 */
class ProjectionWritesTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static SpringTransactionManager transactions;

    private ProjectionWrites writes;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        transactions = new SpringTransactionManager(new DataSourceTransactionManager(postgres.getPostgresDatabase()));
        jdbc.execute("CREATE TABLE orders (order_id text PRIMARY KEY, customer_id text NOT NULL, address text)");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void handlingInABatch() {
        jdbc.execute("TRUNCATE orders");
        writes = new ProjectionWrites(jdbc, new EventIsolation(), new ProjectionCommits(), "orders");
        EventIsolation.enter("orders", false);
    }

    @AfterEach
    void leave() {
        EventIsolation.leave();
    }

    @Test
    void writesDeferredInABatchAreStoredWhenItCommitsAndNotBefore() {
        inBatch(() -> {
            place("o1", "c1");
            place("o2", "c2");
            assertThat(orders()).as("deferred until the batch commits").isZero();
        });

        assertThat(orders()).isEqualTo(2);
    }

    @Test
    void aStatementAcrossKeysRunsAfterTheWritesDeferredBeforeItInTheSameBatch() {
        inBatch(() -> {
            place("o1", "erased-customer");
            place("o2", "another-customer");
            writes.updateAfterPending("UPDATE orders SET address = NULL WHERE customer_id = ?", "erased-customer");
            place("o3", "erased-customer-s-next-order-is-another-key");
        });

        assertThat(jdbc.queryForObject("SELECT address FROM orders WHERE order_id = 'o1'", String.class))
                .as("the order placed earlier in the batch is erased too").isNull();
        assertThat(jdbc.queryForObject("SELECT address FROM orders WHERE order_id = 'o2'", String.class))
                .isEqualTo("an address");
        assertThat(orders()).isEqualTo(3);
    }

    private void place(String orderId, String customerId) {
        writes.update(orderId, "INSERT INTO orders (order_id, customer_id, address) VALUES (?, ?, 'an address')",
                orderId, customerId);
    }

    private static void inBatch(Runnable handlers) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("event"));
        unitOfWork.attachTransaction(transactions);
        handlers.run();
        unitOfWork.commit();
    }

    private static int orders() {
        return jdbc.queryForObject("SELECT count(*) FROM orders", Integer.class);
    }
}
