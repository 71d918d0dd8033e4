package org.orderly.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload {@code pgbench}: PostgreSQL's own ceiling on the server Orderly runs on, with pgbench (Debian package
 * postgresql-client): single-row inserts of an event-sized row at each client count, and 100-row inserts at one
 * client (the rebuild's yardstick).
 */
record PgbenchWorkload(Settings settings, OrderlyProcess orderly) {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    /** @param singleRow whether the single-row runs are wanted, or the 100-row one only */
    Map<String, Object> run(boolean singleRow) throws Exception {
        Path pgbench = Path.of("/usr/bin/pgbench");
        if (!Files.isExecutable(pgbench)) {
            return Map.of("skipped", "pgbench not installed (Debian package postgresql-client)");
        }
        try (Connection c = orderly.postgres(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS pgbench_ceiling");
            s.execute("DROP TABLE IF EXISTS pgbench_ceiling.event_row");
            s.execute("""
                    CREATE TABLE pgbench_ceiling.event_row (id BIGSERIAL PRIMARY KEY, aggregate_identifier VARCHAR(255),
                      sequence_number BIGINT, event_identifier VARCHAR(255) UNIQUE, payload_type VARCHAR(255),
                      time_stamp VARCHAR(255), payload BYTEA, meta_data BYTEA)""");
        }
        Path single = Files.writeString(Files.createTempFile("single", ".sql"), """
                INSERT INTO pgbench_ceiling.event_row (aggregate_identifier, sequence_number, event_identifier, payload_type, time_stamp, payload, meta_data)
                VALUES (gen_random_uuid()::text, 0, gen_random_uuid()::text, 'org.orderly.api.customer.CustomerRegisteredEvent', now()::text,
                        convert_to(repeat('x', 160), 'UTF8'), convert_to('{"traceId":"0123456789abcdef"}', 'UTF8'));
                """);
        Path hundred = Files.writeString(Files.createTempFile("hundred", ".sql"), """
                INSERT INTO pgbench_ceiling.event_row (aggregate_identifier, sequence_number, event_identifier, payload_type, time_stamp, payload, meta_data)
                SELECT gen_random_uuid()::text, 0, gen_random_uuid()::text, 'org.orderly.api.customer.CustomerRegisteredEvent', now()::text,
                       convert_to(repeat('x', 160), 'UTF8'), convert_to('{"traceId":"0123456789abcdef"}', 'UTF8')
                  FROM generate_series(1, 100);
                """);
        Map<String, Object> result = new LinkedHashMap<>();
        for (int clients : singleRow ? settings.clients() : List.<Integer>of()) {
            result.put("singleRowTps-" + clients, runPgbench(pgbench, single, clients));
        }
        double tps = runPgbench(pgbench, hundred, 1);
        result.put("hundredRowTps-1", tps);
        result.put("hundredRowRowsPerSecond-1", Math.round(tps * 100));
        System.out.println("pgbench: " + result);
        return result;
    }

    private double runPgbench(Path pgbench, Path script, int clients) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(pgbench.toString(), "-n", "-h", "localhost", "-p", Integer.toString(orderly.pgPort()),
                "-U", "postgres", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(settings.duration().toSeconds()), "-f", script.toString(), "postgres");
        builder.environment().put("PGPASSWORD", orderly.superuserPassword());
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }
}
