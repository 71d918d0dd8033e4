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

    /** A role that owns exactly one schema and is refused everything else. */
    public record OwnedSchema(String role, String schema, boolean searchPath) {
        public OwnedSchema {
            requireIdentifier(role);
            requireIdentifier(schema);
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

    /** The same statements as {@link #provision}, as a script for an administrator, with password placeholders. */
    public static String script(List<OwnedSchema> owned) {
        StringBuilder sql = new StringBuilder();
        for (OwnedSchema o : owned) {
            for (String statement : statements(o, "<password for " + o.role() + ">")) {
                sql.append(statement).append(";\n");
            }
        }
        return sql.append("REVOKE ALL ON SCHEMA public FROM PUBLIC;\n").toString();
    }

    private static List<String> statements(OwnedSchema o, String password) {
        List<String> sql = new ArrayList<>();
        sql.add("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + o.role() + "') THEN "
                + "CREATE ROLE " + o.role() + " LOGIN; END IF; END $$");
        sql.add("ALTER ROLE " + o.role() + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
                + (password == null ? "" : " PASSWORD '" + password.replace("'", "''") + "'"));
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

    /** A password only Orderly knows, for roles it manages; set anew at every start. */
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
