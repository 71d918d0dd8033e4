package org.orderly.config.database;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL an administrator runs to give each domain its own role and schema. Orderly runs it itself
 * when it manages roles (always with the embedded database); otherwise {@link #script} prints it for
 * a human to run.
 */
public final class DatabaseAdministration {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private DatabaseAdministration() {
    }

    /**
     * A role that uses exactly one schema and is refused everything else. Usually it owns that schema; when
     * {@code schemaOwner} is set, that role owns it instead (an append-only record, which the role may only use as
     * the owner's migrations grant), and there is no rebuild schema.
     */
    public record OwnedSchema(String role, String schema, boolean searchPath, String schemaOwner) {
        public OwnedSchema {
            requireIdentifier(role);
            requireIdentifier(schema);
            if (schemaOwner != null) {
                requireIdentifier(schemaOwner);
            }
        }

        public OwnedSchema(String role, String schema, boolean searchPath) {
            this(role, schema, searchPath, null);
        }
    }

    /**
     * Creates or updates the roles and schemas, in one transaction guarded by an advisory lock so that
     * nodes starting together do not race.
     *
     * @param passwords one password per role, in the order of {@code owned}; {@code null} leaves a password as it is
     */
    public static void provision(DataSource admin, List<OwnedSchema> owned, List<String> passwords) {
        JdbcTemplate jdbc = new JdbcTemplate(admin);
        new TransactionTemplate(new DataSourceTransactionManager(admin)).executeWithoutResult(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('orderly.provisioning'))", rs -> { });
            for (int i = 0; i < owned.size(); i++) {
                for (String statement : statements(owned.get(i), passwords.get(i))) {
                    jdbc.execute(statement);
                }
            }
            jdbc.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
        });
    }

    /**
     * The main database's two roles: {@code owner} owns the main schemas (the event store's among them) and runs
     * their migrations; {@code app}, the event-store role the application runs as, owns nothing and gets only
     * the rights {@link #grantAccess} gives it. Objects of those schemas that another role owns (the event-store
     * role owned them before it was split from the owner) are handed to the owner. One transaction, under the same
     * lock as {@link #provision}.
     *
     * @param ownerPassword {@code null} leaves the owner's password as it is; likewise {@code appPassword}
     */
    public static void provisionMain(DataSource admin, String owner, String ownerPassword, String app,
                                     String appPassword, List<String> schemas) {
        JdbcTemplate jdbc = new JdbcTemplate(admin);
        new TransactionTemplate(new DataSourceTransactionManager(admin)).executeWithoutResult(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('orderly.provisioning'))", rs -> { });
            mainStatements(owner, ownerPassword, app, appPassword, schemas).forEach(jdbc::execute);
        });
    }

    private static List<String> mainStatements(String owner, String ownerPassword, String app, String appPassword,
                                               List<String> schemas) {
        requireIdentifier(app);
        if (owner.equals(app)) {
            throw new IllegalArgumentException("The owner of the main schemas must not be the event-store role " + app);
        }
        List<String> sql = new ArrayList<>(roleStatements(owner, ownerPassword));
        sql.addAll(roleStatements(app, appPassword));
        for (String schema : schemas) {
            OwnedSchema o = new OwnedSchema(owner, schema, false);
            sql.add("CREATE SCHEMA IF NOT EXISTS " + o.schema() + " AUTHORIZATION " + owner);
            sql.add("ALTER SCHEMA " + o.schema() + " OWNER TO " + owner);
            // Tables first: a sequence that belongs to a column follows its table and cannot be given away alone.
            sql.add("DO $$ DECLARE r record; BEGIN"
                    + " FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = '" + schema + "' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                    + " AND c.relowner <> '" + owner + "'::regrole"
                    + " LOOP EXECUTE format('ALTER TABLE %s OWNER TO " + owner + "', r.rel); END LOOP;"
                    + " FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = '" + schema + "' AND c.relkind = 'S' AND c.relowner <> '" + owner + "'::regrole"
                    + " LOOP EXECUTE format('ALTER SEQUENCE %s OWNER TO " + owner + "', r.rel); END LOOP; END $$");
        }
        return sql;
    }

    /**
     * Gives the event-store role exactly the rights each main schema declares ({@link MainSchema#privileges}) on
     * the tables its migrations created, and nothing on the Flyway history; run as the owner after every
     * migration, so that a table a later migration adds gets its rights at once. Rights granted by hand beyond
     * these are taken back.
     */
    public static void grantAccess(DataSource owner, String app, List<MainSchema> schemas) {
        requireIdentifier(app);
        JdbcTemplate jdbc = new JdbcTemplate(owner);
        new TransactionTemplate(new DataSourceTransactionManager(owner)).executeWithoutResult(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('orderly.provisioning'))", rs -> { });
            for (MainSchema schema : schemas) {
                String s = schema.name();
                jdbc.execute("GRANT USAGE ON SCHEMA " + s + " TO " + app);
                jdbc.execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + s + " FROM " + app);
                jdbc.execute("REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + s + " FROM " + app);
                for (String table : jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = ?"
                        + " AND tablename <> 'flyway_schema_history' ORDER BY tablename", String.class, s)) {
                    String privileges = schema.privilegesOn(table);
                    if (privileges != null) {
                        jdbc.execute("GRANT " + privileges + " ON " + s + "." + requireIdentifier(table) + " TO " + app);
                    }
                }
                // nextval for a column's default: USAGE is all it takes (no SELECT, no setval).
                jdbc.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + app);
            }
        });
    }

    /**
     * What the connected role (the event-store role) may do in the main schemas beyond what each declares
     * ({@link MainSchema#privilegesOn}): own or create in a schema, a privilege on a table it was not given, a role
     * attribute that bypasses them all. Empty means it is held to its rights.
     */
    public static List<String> privilegesBeyond(JdbcTemplate asRole, List<MainSchema> schemas) {
        List<String> found = new ArrayList<>();
        asRole.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user", rs -> {
            if (rs.getBoolean(1)) found.add("is a superuser");
            if (rs.getBoolean(2)) found.add("bypasses row-level security");
        });
        for (MainSchema schema : schemas) {
            found.addAll(asRole.queryForList("""
                    SELECT 'may create in schema ' || nspname FROM pg_namespace
                     WHERE nspname = ? AND (has_schema_privilege(oid, 'CREATE') OR pg_has_role(nspowner, 'USAGE'))
                    """, String.class, schema.name()));
            asRole.query("""
                    SELECT c.relname, p.privilege FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'])
                           AS p(privilege)
                     WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname <> 'flyway_schema_history'
                       AND has_table_privilege(c.oid, p.privilege)
                    UNION ALL
                    SELECT c.relname, 'UPDATE' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ? AND c.relname = 'flyway_schema_history' AND has_table_privilege(c.oid, 'UPDATE')
                    """, rs -> {
                String table = rs.getString(1);
                String privilege = rs.getString(2);
                String allowed = "flyway_schema_history".equals(table) ? null : schema.privilegesOn(table);
                if (allowed == null || !List.of(allowed.split(", ")).contains(privilege)) {
                    found.add("may " + privilege + " on " + schema.name() + "." + table);
                }
            }, schema.name(), schema.name());
        }
        return found;
    }

    /** The same statements as {@link #provisionMain} and {@link #provision}, as a script for an administrator. */
    public static String script(String owner, String app, List<String> mainSchemas, List<OwnedSchema> owned) {
        StringBuilder sql = new StringBuilder();
        for (String statement : mainStatements(owner, "<password for " + owner + ">", app,
                "<password for " + app + ">", mainSchemas)) {
            sql.append(statement).append(";\n");
        }
        for (OwnedSchema o : owned) {
            for (String statement : statements(o, "<password for " + o.role() + ">")) {
                sql.append(statement).append(";\n");
            }
        }
        return sql.append("REVOKE ALL ON SCHEMA public FROM PUBLIC;\n").toString();
    }

    private static List<String> statements(OwnedSchema o, String password) {
        List<String> sql = new ArrayList<>(roleStatements(o.role(), password));
        if (o.schemaOwner() != null) {
            // The owner owns the schema, so the role cannot drop or rename what is in it; the owner's migrations
            // grant the role its rights.
            sql.add("CREATE SCHEMA IF NOT EXISTS " + o.schema() + " AUTHORIZATION " + o.schemaOwner());
            sql.add("ALTER SCHEMA " + o.schema() + " OWNER TO " + o.schemaOwner());
            sql.add("ALTER ROLE " + o.role() + " SET search_path = " + o.schema());
            return sql;
        }
        sql.add("CREATE SCHEMA IF NOT EXISTS " + o.schema() + " AUTHORIZATION " + o.role());
        sql.add("ALTER SCHEMA " + o.schema() + " OWNER TO " + o.role());
        if (o.searchPath()) {
            sql.add("ALTER ROLE " + o.role() + " SET search_path = " + o.schema());
            // Where a zero-downtime rebuild builds the next read model. Created here, by the administrator,
            // because creating a schema needs CREATE on the database, which a domain role never gets.
            sql.add("CREATE SCHEMA IF NOT EXISTS " + shadowSchema(o.schema()) + " AUTHORIZATION " + o.role());
            sql.add("ALTER SCHEMA " + shadowSchema(o.schema()) + " OWNER TO " + o.role());
        }
        return sql;
    }

    /** The schema a zero-downtime rebuild of the domain whose schema is {@code schema} builds in. */
    public static String shadowSchema(String schema) {
        return schema + "_rebuild";
    }

    /**
     * What the connected role may do outside {@code ownSchema} (and its rebuild schema, {@link #shadowSchema},
     * which holds nothing but the next version of the same read model): schemas it can use or create in, tables
     * it can touch, and role attributes that would bypass any of that. Empty means isolated.
     */
    public static List<String> privilegesOutside(JdbcTemplate asRole, String ownSchema) {
        List<String> found = new ArrayList<>();
        asRole.query("""
                SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user
                """, rs -> {
            if (rs.getBoolean(1)) found.add("is a superuser");
            if (rs.getBoolean(2)) found.add("may create roles");
            if (rs.getBoolean(3)) found.add("may create databases");
            if (rs.getBoolean(4)) found.add("bypasses row-level security");
        });
        found.addAll(asRole.queryForList("""
                SELECT 'may use schema ' || n.nspname FROM pg_namespace n
                 WHERE n.nspname NOT IN (?, ?) AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                   AND (has_schema_privilege(n.oid, 'USAGE') OR has_schema_privilege(n.oid, 'CREATE'))
                """, String.class, ownSchema, shadowSchema(ownSchema)));
        found.addAll(asRole.queryForList("""
                SELECT 'may access table ' || n.nspname || '.' || c.relname FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname NOT IN (?, ?) AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                   AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
                """, String.class, ownSchema, shadowSchema(ownSchema)));
        return found;
    }

    private static List<String> roleStatements(String role, String password) {
        requireIdentifier(role);
        return List.of(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                        + "CREATE ROLE " + role + " LOGIN; END IF; END $$",
                "ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
                        + (password == null ? "" : " PASSWORD '" + password.replace("'", "''") + "'"));
    }

    /**
     * A password only Orderly knows, for roles it manages: set anew at every start on an external database, kept
     * in {@link EmbeddedCredentials} for the embedded one.
     */
    public static String generatePassword() {
        char[] chars = new char[32];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    static String requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a safe PostgreSQL identifier: " + name);
        }
        return name;
    }
}
