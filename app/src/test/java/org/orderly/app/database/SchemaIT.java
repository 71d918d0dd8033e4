package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.test.annotation.DirtiesContext;
import org.orderly.config.database.DatabaseAdministration;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database as migrated, checked against the rules of independent schemas. A second domain,
 * {@code probe}, is declared here the way any domain is (one bean, one migration folder), so that
 * isolation is tested between two domains and not only against the event store.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@Import(SchemaIT.ProbeDomain.class)
class SchemaIT {

    @TestConfiguration(proxyBeanMethods = false)
    static class ProbeDomain {
        @Bean
        DomainStoreDefinition probeDomainStore() {
            return DomainStoreDefinition.of("probe");
        }
    }

    @Autowired
    JdbcTemplate main;
    @Autowired
    DomainStores stores;
    @Autowired
    OrderlyDatabase database;

    @Test
    void noTableLivesInPublic() {
        assertThat(main.queryForList("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                """, String.class)).isEmpty();
    }

    @Test
    void noForeignKeyCrossesSchemas() {
        assertThat(main.queryForList("""
                SELECT con.conname FROM pg_constraint con
                  JOIN pg_class src ON src.oid = con.conrelid
                  JOIN pg_class dst ON dst.oid = con.confrelid
                 WHERE con.contype = 'f' AND src.relnamespace <> dst.relnamespace
                """, String.class)).isEmpty();
    }

    @Test
    void everySchemaHasItsOwnFlywayHistory() {
        List<String> schemas = new java.util.ArrayList<>(database.mainSchemas());
        stores.all().forEach(store -> schemas.add(store.schema()));
        assertThat(schemas).contains("event_store", "customer_registry", "customer", "cart", "probe");
        for (String schema : schemas) {
            Integer applied = main.queryForObject(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = 'flyway_schema_history'",
                    Integer.class, schema);
            assertThat(applied).as("history table in " + schema).isEqualTo(1);
        }
        assertThat(stores.get("customer").jdbc().queryForList(
                "SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank", String.class))
                .startsWith("V0_1__axon_token_store.sql", "V0_2__axon_dead_letter_queue.sql", "V1__customers.sql");
        assertThat(stores.get("probe").jdbc().queryForList(
                "SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank", String.class))
                .contains("V1__probe_items.sql")
                .doesNotContain("V1__customers.sql");
    }

    @Test
    void eachDomainKeepsItsTokensAndDeadLettersInItsOwnSchema() {
        // an append-only store has no processors, hence neither
        List<DomainStore> processing = stores.all().stream().filter(store -> !store.appendOnly()).toList();
        for (DomainStore store : processing) {
            assertThat(main.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = ?", String.class, store.schema()))
                    .contains("token_entry", "dead_letter_entry");
        }
        assertThat(main.queryForList("""
                SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'token_entry'
                """, String.class)).containsExactlyInAnyOrderElementsOf(processing.stream().map(DomainStore::schema).toList());
    }

    @Test
    void aDomainRoleCanNeitherReadNorWriteAnotherDomainsSchema() {
        JdbcTemplate customer = stores.get("customer").jdbc();
        JdbcTemplate probe = stores.get("probe").jdbc();

        assertDenied(() -> customer.queryForList("SELECT * FROM probe.probe_items"));
        assertDenied(() -> customer.update("INSERT INTO probe.probe_items VALUES (gen_random_uuid(), 'x')"));
        assertDenied(() -> probe.queryForList("SELECT * FROM customer.customers"));
        assertDenied(() -> probe.update("DELETE FROM customer.customers"));
        assertDenied(() -> probe.update("CREATE TABLE customer.intruder (id int)"));
        assertDenied(() -> customer.queryForList("SELECT * FROM customer_registry.customer_email"));
        // the cart domain's copies of other domains' data live in its own schema, out of their reach and it of theirs
        JdbcTemplate cart = stores.get("cart").jdbc();
        assertDenied(() -> cart.queryForList("SELECT * FROM catalog.products"));
        assertDenied(() -> cart.queryForList("SELECT * FROM inventory.stock_levels"));
        assertDenied(() -> customer.queryForList("SELECT * FROM cart.carts"));
        assertDenied(() -> customer.update("DELETE FROM cart.product_copies"));
    }

    @Test
    void everyDomainRoleIsIsolatedFromEveryOtherDomain() {
        for (DomainStore store : stores.all()) {
            for (DomainStore other : stores.all()) {
                if (other != store) {
                    assertDenied(() -> store.jdbc().queryForList("SELECT * FROM " + other.schema() + ".token_entry"));
                    assertDenied(() -> store.jdbc().update("DELETE FROM " + other.schema() + ".dead_letter_entry"));
                }
            }
        }
    }

    @Test
    void aDomainRoleCannotReadUpdateOrDeleteTheEventTable() {
        for (DomainStore store : stores.all()) {
            JdbcTemplate jdbc = store.jdbc();
            assertDenied(() -> jdbc.update("UPDATE event_store.domain_event_entry SET type = type"));
            assertDenied(() -> jdbc.update("DELETE FROM event_store.domain_event_entry"));
            assertDenied(() -> jdbc.queryForList("SELECT * FROM event_store.domain_event_entry LIMIT 1"));
        }
    }

    @Test
    void aDomainRoleCannotCreateTablesInPublic() {
        assertDenied(() -> stores.get("customer").jdbc().update("CREATE TABLE public.stray (id int)"));
    }

    @Test
    void theIsolationCheckRunAtStartupNoticesAGrantOutsideTheDomain() {
        JdbcTemplate customer = stores.get("customer").jdbc();
        assertThat(DatabaseAdministration.privilegesOutside(customer, "customer")).isEmpty();

        JdbcTemplate admin = new JdbcTemplate(database.admin().orElseThrow());
        admin.execute("GRANT USAGE ON SCHEMA probe TO orderly_customer");
        admin.execute("GRANT SELECT ON probe.probe_items TO orderly_customer");
        try {
            assertThat(DatabaseAdministration.privilegesOutside(customer, "customer"))
                    .contains("may use schema probe", "may access table probe.probe_items");
        } finally {
            admin.execute("REVOKE SELECT ON probe.probe_items FROM orderly_customer");
            admin.execute("REVOKE USAGE ON SCHEMA probe FROM orderly_customer");
        }
    }

    @Test
    void binaryColumnsAreByteaNeverLargeObjects() {
        List<Map<String, Object>> columns = main.queryForList("""
                SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                 WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
                   AND (c.data_type = 'oid' OR c.udt_name = 'lo')
                """);
        assertThat(columns).isEmpty();
        assertThat(main.queryForList("""
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = 'event_store' AND table_name = 'domain_event_entry' AND data_type = 'bytea'
                """, String.class)).containsExactlyInAnyOrder("payload", "meta_data");
    }

    @Test
    void theGlobalIndexDrawsFromItsOwnSequenceWithoutAllocationJumps() {
        Map<String, Object> sequence = main.queryForMap("""
                SELECT s.increment_by, s.cache_size FROM pg_sequences s
                 WHERE s.schemaname = 'event_store' AND s.sequencename = 'domain_event_entry_global_index_seq'
                """);
        assertThat(((Number) sequence.get("increment_by")).longValue()).isEqualTo(1);
        assertThat(((Number) sequence.get("cache_size")).longValue()).isEqualTo(1);
        assertThat(main.queryForObject("""
                SELECT column_default FROM information_schema.columns
                 WHERE table_schema = 'event_store' AND table_name = 'domain_event_entry' AND column_name = 'global_index'
                """, String.class)).contains("domain_event_entry_global_index_seq");
    }

    @Test
    void eachDomainSchemaIsOwnedByItsOwnRoleAndEachMainSchemaByTheOwnerRole() {
        for (DomainStore store : stores.all()) {
            if (store.appendOnly()) {
                // the owner owns the schema and everything in it; its role only adds and reads
                assertThat(main.queryForObject("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
                        String.class, store.schema())).isEqualTo(database.ownerUsername());
                assertThat(main.queryForList("""
                        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = ? AND pg_get_userbyid(c.relowner) <> ?
                        """, String.class, store.schema(), database.ownerUsername())).as("objects of " + store.schema())
                        .isEmpty();
                continue;
            }
            assertThat(main.queryForObject("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
                    String.class, store.schema())).isEqualTo("orderly_" + store.name());
            // Where a rebuild builds the next read model: the same owner, and empty between rebuilds.
            assertThat(main.queryForObject("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
                    String.class, store.shadowSchema())).isEqualTo("orderly_" + store.name());
            assertThat(main.queryForObject("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE n.nspname = ?", Integer.class, store.shadowSchema())).isZero();
        }
        for (String schema : database.mainSchemas()) {
            assertThat(main.queryForObject("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
                    String.class, schema)).isEqualTo(database.ownerUsername());
            // The role the application runs as owns nothing there: its rights are the ones granted to it.
            assertThat(main.queryForList("""
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND pg_get_userbyid(c.relowner) <> ?
                    """, String.class, schema, database.ownerUsername())).as("objects of " + schema).isEmpty();
        }
    }

    private static void assertDenied(Runnable statement) {
        assertThatThrownBy(statement::run)
                .rootCause().hasMessageContaining("permission denied");
    }
}
