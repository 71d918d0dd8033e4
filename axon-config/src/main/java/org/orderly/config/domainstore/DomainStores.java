package org.orderly.config.domainstore;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.OrderlyProperties.DomainConnection;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.database.DatabaseProperties;
import org.orderly.config.database.DatabaseAdministration;
import org.orderly.config.database.InParallel;
import org.orderly.config.database.DatabaseAdministration.OwnedSchema;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every declared domain store, opened: roles and schemas provisioned (when Orderly manages roles),
 * pools started, isolation verified and migrations applied, before any processor starts.
 */
public final class DomainStores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DomainStores.class);

    private final String nodeId;
    private final Map<String, DomainStore> byName;
    private final Map<String, DomainStore> byProcessingGroup;
    private final EventIsolation isolation;

    private final ProjectionCommits commits;
    /** One connection per database listening for the processors' commits, whichever node makes them. */
    private final List<ProjectionCommitNotifications> listeners = new java.util.ArrayList<>();

    /** Domains this deployable only reads ({@link DomainStoreReader}), by name; never in {@link #all()}. */
    private final Map<String, DomainStore> readers;

    private DomainStores(String nodeId, Map<String, DomainStore> byName, Map<String, DomainStore> readers,
                         Map<String, List<String>> watched, EventIsolation isolation, ProjectionCommits commits) {
        this.commits = commits;
        Map<String, DomainStore> byDatabase = new LinkedHashMap<>();
        java.util.stream.Stream.concat(byName.values().stream(), readers.values().stream())
                .forEach(store -> byDatabase.putIfAbsent(store.hikari().getJdbcUrl(), store));
        byDatabase.values().forEach(store -> listeners.add(ProjectionCommitNotifications.listen(store, commits)));
        this.nodeId = nodeId;
        this.byName = byName;
        this.readers = readers;
        this.isolation = isolation;
        this.byProcessingGroup = new HashMap<>();
        byName.values().forEach(store -> java.util.stream.Stream.concat(store.processingGroups().stream(),
                store.sagaProcessingGroups().stream()).forEach(group -> {
            if (byProcessingGroup.put(group, store) != null) {
                throw new IllegalStateException("Processing group '" + group + "' is declared by two domain stores");
            }
        }));
        // A processor another process runs is found in the token table of the domain that reads it here.
        watched.forEach((name, groups) -> groups.forEach(group -> byProcessingGroup.putIfAbsent(group, readers.get(name))));
    }

    static DomainStores open(List<DomainStoreDefinition> definitions, OrderlyDatabase database,
                             Settings properties) {
        return open(definitions, List.of(), database, properties);
    }

    static DomainStores open(List<DomainStoreDefinition> definitions, List<DomainStoreReader> readerDeclarations,
                             OrderlyDatabase database, Settings properties) {
        Map<String, DomainStoreDefinition> unique = new LinkedHashMap<>();
        definitions.forEach(d -> {
            if (unique.putIfAbsent(d.name(), d) != null) {
                throw new IllegalStateException("Domain store '" + d.name() + "' is declared twice");
            }
        });
        // A domain this process both keeps and reads needs no reader: its store serves both.
        Map<String, List<String>> watched = new LinkedHashMap<>();
        Map<String, DomainStoreDefinition> readOnly = new LinkedHashMap<>();
        readerDeclarations.forEach(r -> {
            if (!unique.containsKey(r.name())) {
                watched.computeIfAbsent(r.name(), name -> new ArrayList<>()).addAll(r.watchedProcessors());
                readOnly.putIfAbsent(r.name(), DomainStoreDefinition.of(r.name()));
            }
        });
        List<DomainStoreDefinition> provisioned = new ArrayList<>(unique.values());
        provisioned.addAll(readOnly.values());
        Map<String, String> managedPasswords = provision(provisioned, database, properties);
        String nodeId = nodeId(properties);

        Map<String, DomainStore> stores = new LinkedHashMap<>();
        EventIsolation isolation = new EventIsolation();
        // unbounded here: a command waiting for copies holds no request thread a read could want; the web layer
        // bounds its own waiting reads (ProjectionCommits.withMostWaiting)
        ProjectionCommits commits = new ProjectionCommits(ProjectionCommits.RECHECK, Integer.MAX_VALUE);
        try {
            List<DomainStore> opened = InParallel.map(List.copyOf(unique.values()), definition -> {
                DomainStore store = new DomainStore(definition, nodeId, properties.processors().claimTimeout(),
                        pool(definition, database, properties, managedPasswords.get(definition.name())), isolation, commits);
                try {
                    if (definition.appendOnly()) {
                        migrateAsOwner(definition, store, database, properties);
                        verifyIsolation(store, database);
                        verifyAppendOnly(store);
                    } else {
                        verifyIsolation(store, database);
                        OrderlyDatabaseAutoConfiguration.migrate(store.dataSource(), definition.schema(),
                                "classpath:db/domain-store", definition.migrationLocation());
                    }
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
                log.info("Domain store '{}' ready: schema {}, role {}, processors {}, saga processors {}",
                        definition.name(), definition.schema(), store.role(), definition.processingGroups(),
                        definition.sagaProcessingGroups());
                return store;
            });
            opened.forEach(store -> stores.put(store.name(), store));
        } catch (InParallel.PartialFailure partial) {
            failedToOpen(partial, database, unique);
        }
        Map<String, DomainStore> readers = new LinkedHashMap<>();
        try {
            for (DomainStoreDefinition definition : readOnly.values()) {
                DomainStore reader = new DomainStore(definition, nodeId, properties.processors().claimTimeout(),
                        pool(definition, database, properties, managedPasswords.get(definition.name())), isolation, commits);
                readers.put(definition.name(), reader);
                verifyIsolation(reader, database);
                log.info("Domain '{}' read here (schema {}, role {}), kept by another deployable; watching {}",
                        definition.name(), definition.schema(), reader.role(), watched.get(definition.name()));
            }
        } catch (RuntimeException e) {
            readers.values().forEach(DomainStore::close);
            stores.values().forEach(DomainStore::close);
            throw e;
        }
        return new DomainStores(nodeId, stores, readers, watched, isolation, commits);
    }

    private static void failedToOpen(InParallel.PartialFailure partial, OrderlyDatabase database,
                                     Map<String, DomainStoreDefinition> unique) {
        partial.results().forEach(store -> {
            if (store != null) {
                ((DomainStore) store).close();
            }
        });
        RuntimeException e = (RuntimeException) partial.getCause();
        if (database.managesRoles()) {
            throw e;
        }
        throw new IllegalStateException("Could not open the domain stores as their own roles. On a database "
                + "Orderly does not manage, an administrator runs this once (README, 'External PostgreSQL'):\n"
                + administratorScript(database, List.copyOf(unique.values())), e);
    }

    EventIsolation isolation() {
        return isolation;
    }

    /** Tells reads waiting for a projection's row when a batch wrote it; see {@link ProjectionCommits}. */
    public ProjectionCommits commits() {
        return commits;
    }

    /** {@code orderly.node-id}, or else the JVM's name ({@code pid@host}, Axon's own default). */
    static String nodeId(Settings properties) {
        String configured = properties.nodeId();
        return configured == null || configured.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() : configured.strip();
    }

    /** How this node signs the claims it holds in every token table. */
    public String nodeId() {
        return nodeId;
    }

    /** Creates the roles and schemas of the domains that live in the main database, when Orderly may. */
    private static Map<String, String> provision(Collection<DomainStoreDefinition> definitions,
                                                 OrderlyDatabase database, Settings properties) {
        Map<String, String> passwords = new HashMap<>();
        if (!database.managesRoles()) {
            return passwords;
        }
        List<OwnedSchema> owned = new ArrayList<>();
        List<String> ownedPasswords = new ArrayList<>();
        for (DomainStoreDefinition d : definitions) {
            DomainConnection connection = connection(d, properties);
            if (connection.url() != null) {
                continue; // moved to a database of its own: its administrator provisions it
            }
            String role = username(d, connection);
            String password = connection.password() != null ? connection.password()
                    : database.embeddedCredentials().map(kept -> kept.passwordFor(role))
                            .orElseGet(DatabaseAdministration::generatePassword);
            owned.add(new OwnedSchema(role, d.schema(), true, d.appendOnly() ? database.ownerUsername() : null));
            ownedPasswords.add(password);
            passwords.put(d.name(), password);
        }
        database.admin().ifPresent(admin -> DatabaseAdministration.provision(admin, owned, ownedPasswords));
        return passwords;
    }

    private static HikariDataSource pool(DomainStoreDefinition definition, OrderlyDatabase database,
                                         Settings properties, String managedPassword) {
        DomainConnection connection = connection(definition, properties);
        String password = managedPassword != null ? managedPassword : connection.password();
        if (password == null && !database.isEmbedded()) {
            throw new IllegalStateException("No password for domain '" + definition.name() + "'. Set orderly.domains."
                    + definition.name() + ".password, or let Orderly manage roles (orderly.database.manage-roles=true).");
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("orderly-" + definition.name());
        pool.setJdbcUrl(connection.url() != null ? connection.url() : database.url());
        pool.setUsername(username(definition, connection));
        pool.setPassword(password);
        pool.setSchema(definition.schema());
        pool.setMaximumPoolSize(poolSize(definition, connection, properties));
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(properties.database().connectionTimeout().toMillis());
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        // An exception's text never quotes the row it failed on ("Detail: Key (login)=(…)"): it reaches logs and
        // dead letters, and the values are personal data. The SQL state still tells what failed.
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        return pool;
    }

    /**
     * A saga worker holds a connection through its batch, while it waits for the commands it sends: a domain
     * holding sagas gets one per worker, plus room for the coordinators and the deadline scheduler.
     */
    static int poolSize(DomainStoreDefinition definition, DomainConnection connection,
                        Settings properties) {
        if (connection.poolSize() != null) {
            return connection.poolSize();
        }
        return definition.sagaProcessingGroups().isEmpty() ? 4
                : definition.sagaProcessingGroups().size() * properties.sagas().segments() + 4;
    }

    /**
     * An append-only store's migrations run as the main owner, who thereby owns every table and function they create;
     * {@code ${role}} in them names the domain's role, to which they grant what it may do.
     */
    private static void migrateAsOwner(DomainStoreDefinition definition, DomainStore store, OrderlyDatabase database,
                                       Settings properties) {
        if (connection(definition, properties).url() != null) {
            throw new IllegalStateException("Domain store '" + definition.name() + "' is append-only: its schema belongs "
                    + "to the main database's owner, so it cannot move to a database of its own (orderly.domains."
                    + definition.name() + ".url)");
        }
        if (database.ownerPassword() == null) {
            throw new IllegalStateException("Domain store '" + definition.name() + "' is migrated by the owner role "
                    + database.ownerUsername() + ", whose password is not set (orderly.database.owner-password)");
        }
        OrderlyDatabaseAutoConfiguration.migrate(
                new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.ownerUsername(),
                        database.ownerPassword()),
                definition.schema(), java.util.Map.of("role", store.role()), definition.migrationLocation());
    }

    /** An append-only store's role owns nothing there and may not update, delete or truncate; else no start. */
    private static void verifyAppendOnly(DomainStore store) {
        List<String> violations = rewriteRights(store);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Role " + store.role() + " of append-only domain '" + store.name()
                    + "' could rewrite its record: it " + String.join("; ", violations) + ". Revoke those rights.");
        }
    }

    /**
     * What the role of an append-only store may do there beyond adding and reading, as checked at every start: own
     * the schema or a table, update, delete or truncate. Empty means it cannot rewrite the record.
     */
    public static List<String> rewriteRights(DomainStore store) {
        return new JdbcTemplate(store.dataSource()).queryForList("""
                SELECT 'owns schema ' || nspname FROM pg_namespace WHERE nspname = ? AND pg_has_role(nspowner, 'USAGE')
                UNION ALL
                SELECT 'owns ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND pg_has_role(c.relowner, 'USAGE')
                UNION ALL
                SELECT 'may ' || p.privilege || ' on ' || c.relname FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 CROSS JOIN unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p(privilege)
                 WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND has_table_privilege(c.oid, p.privilege)
                """, String.class, store.schema(), store.schema(), store.schema());
    }

    /** A domain's role may touch its own schema and nothing else; anything more stops the start. */
    private static void verifyIsolation(DomainStore store, OrderlyDatabase database) {
        List<String> violations = DatabaseAdministration.privilegesOutside(new JdbcTemplate(store.dataSource()),
                store.schema());
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Role " + store.role() + " of domain '" + store.name()
                    + "' is not isolated to schema " + store.schema() + ": it " + String.join("; ", violations)
                    + (database.managesRoles() ? "" : ". Revoke those rights; the README lists the SQL to run."));
        }
    }

    private static DomainConnection connection(DomainStoreDefinition d, Settings p) {
        return p.domains().getOrDefault(d.name(), DomainConnection.none());
    }

    private static String username(DomainStoreDefinition d, DomainConnection connection) {
        return connection.username() != null ? connection.username() : d.role();
    }

    /** The SQL an administrator runs for these domains on an external database. */
    public static String administratorScript(OrderlyDatabase database, List<DomainStoreDefinition> definitions) {
        List<OwnedSchema> owned = new ArrayList<>();
        definitions.forEach(d -> owned.add(new OwnedSchema(d.role(), d.schema(), true,
                d.appendOnly() ? database.ownerUsername() : null)));
        return DatabaseAdministration.script(database.ownerUsername(), database.username(), database.mainSchemas(),
                owned);
    }

    /** The domain's store, or its reader where another deployable keeps the domain ({@link DomainStoreReader}). */
    public DomainStore get(String name) {
        DomainStore store = byName.getOrDefault(name, readers.get(name));
        if (store == null) {
            throw new IllegalArgumentException("No domain store '" + name + "'; declared: " + byName.keySet()
                    + ", read: " + readers.keySet());
        }
        return store;
    }

    public Optional<DomainStore> forProcessingGroup(String processingGroup) {
        return Optional.ofNullable(byProcessingGroup.get(processingGroup));
    }

    public Collection<DomainStore> all() {
        return byName.values();
    }

    @Override
    public void close() {
        listeners.forEach(ProjectionCommitNotifications::close);
        readers.values().forEach(DomainStore::close);
        byName.values().forEach(DomainStore::close);
    }

    /** The settings opening the domain stores takes, each from the record that owns its prefix. */
    record Settings(OrderlyProperties orderly, DatabaseProperties database, ProcessorProperties processors,
                    SagaProcessorProperties sagas) {

        String nodeId() {
            return orderly.nodeId();
        }

        java.util.Map<String, DomainConnection> domains() {
            return orderly.domains();
        }
    }
}
