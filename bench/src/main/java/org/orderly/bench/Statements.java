package org.orderly.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's own account of a measured run, from {@code pg_stat_statements} (loaded into Orderly's embedded server
 * by {@link OrderlyProcess}): two snapshots of one database's statements around the run, and their difference per
 * operation. It says where PostgreSQL's share of the CPU goes, statement by statement, for Orderly and for the peer
 * alike: the peer runs on the same server, in database {@code peer}.
 *
 * <p>The harness's own queries (lag polls, once a second) run as the superuser; in Orderly's database, where every
 * application connection uses a role of its own, they are left out. The peer connects as the superuser, so its
 * figures include the harness's lag poll: two statements a second, beside thousands.
 */
final class Statements {

    /** How many statements the report lists per run, by total execution time: {@code bench.statementsTop} (8). */
    static final int TOP = Integer.getInteger("bench.statementsTop", 8);

    /** Orderly's database, where every application connection has a role of its own. */
    static final String ORDERLY = "postgres";
    /** The peer's database on the same server. */
    static final String PEER = "peer";

    private final OrderlyProcess server;
    private final String database;

    /** One statement's counters at a moment. */
    private record Counters(String query, long calls, double totalMs, long rows, long walBytes) {
    }

    /** Every statement's counters at a moment, by query id; empty when the extension is not there. */
    record Snapshot(Map<Long, Counters> statements) {
    }

    private static final String SCHEMA = "bench_statements";

    Statements(OrderlyProcess server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * Creates the extension's views in the server's maintenance database, once per server, in a schema of the
     * harness's own that only the superuser may read: Orderly refuses to start while a domain's role can read
     * anything outside its schema, and the extension grants its views to everyone.
     */
    static void install(OrderlyProcess server) {
        try (Connection c = server.postgres(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            s.execute("REVOKE ALL ON SCHEMA " + SCHEMA + " FROM PUBLIC");
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA " + SCHEMA);
            s.execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + SCHEMA + " FROM PUBLIC");
        } catch (SQLException e) {
            System.out.println("pg_stat_statements unavailable, no statement figures: " + e.getMessage());
        }
    }

    Snapshot take() {
        Map<Long, Counters> statements = new HashMap<>();
        String sql = """
                SELECT s.queryid, s.query, s.calls, s.total_exec_time, s.rows, s.wal_bytes
                  FROM bench_statements.pg_stat_statements s
                  JOIN pg_database d ON d.oid = s.dbid
                  JOIN pg_roles r ON r.oid = s.userid
                 WHERE d.datname = ? AND (d.datname <> ? OR r.rolname <> 'postgres')
                """;
        try (Connection c = server.postgres(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, database);
            s.setString(2, ORDERLY);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    statements.merge(rs.getLong(1), new Counters(rs.getString(2), rs.getLong(3), rs.getDouble(4),
                                    rs.getLong(5), rs.getLong(6)),
                            (a, b) -> new Counters(a.query(), a.calls() + b.calls(), a.totalMs() + b.totalMs(),
                                    a.rows() + b.rows(), a.walBytes() + b.walBytes()));
                }
            }
        } catch (SQLException unavailable) {
            // no extension: the run has no statement figures
        }
        return new Snapshot(statements);
    }

    /**
     * Statements per operation between two snapshots: in all (calls, execution ms, WAL bytes) and the {@link #TOP}
     * by execution time, each with its calls, ms and rows per operation and its share of the time.
     */
    static Map<String, Object> perOperation(Snapshot before, Snapshot after, long operations) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (before == null || after == null || after.statements().isEmpty() || operations == 0) {
            return result;
        }
        List<Counters> deltas = new ArrayList<>();
        after.statements().forEach((id, now) -> {
            Counters then = before.statements().get(id);
            Counters delta = then == null ? now : new Counters(now.query(), now.calls() - then.calls(),
                    now.totalMs() - then.totalMs(), now.rows() - then.rows(), now.walBytes() - then.walBytes());
            if (delta.calls() > 0) {
                deltas.add(delta);
            }
        });
        double totalMs = deltas.stream().mapToDouble(Counters::totalMs).sum();
        result.put("statementsPerOperation", round(deltas.stream().mapToLong(Counters::calls).sum() / (double) operations));
        result.put("executionMsPerOperation", round(totalMs / operations));
        result.put("walBytesPerOperation", Math.round(deltas.stream().mapToLong(Counters::walBytes).sum() / (double) operations));
        List<Map<String, Object>> top = new ArrayList<>();
        deltas.stream().sorted(Comparator.comparingDouble(Counters::totalMs).reversed()).limit(TOP).forEach(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sharePercent", totalMs == 0 ? 0 : Math.round(1000 * d.totalMs() / totalMs) / 10.0);
            row.put("callsPerOperation", round(d.calls() / (double) operations));
            row.put("msPerOperation", Math.round(d.totalMs() / operations * 1000) / 1000.0);
            row.put("rowsPerCall", round(d.rows() / (double) d.calls()));
            row.put("query", shorten(d.query()));
            top.add(row);
        });
        result.put("top", top);
        return result;
    }

    /** The report's lines for one run's statements. */
    static String describe(Map<?, ?> statements) {
        if (statements == null || statements.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(String.format("  PostgreSQL: %s statements, %s ms execution, %s WAL bytes per operation%n",
                statements.get("statementsPerOperation"), statements.get("executionMsPerOperation"),
                statements.get("walBytesPerOperation")));
        for (Object entry : (List<?>) statements.get("top")) {
            Map<?, ?> row = (Map<?, ?>) entry;
            text.append(String.format("  %5.1f%%  %5.2f calls  %6.3f ms  %6.1f rows/call  %s%n",
                    ((Number) row.get("sharePercent")).doubleValue(), ((Number) row.get("callsPerOperation")).doubleValue(),
                    ((Number) row.get("msPerOperation")).doubleValue(), ((Number) row.get("rowsPerCall")).doubleValue(),
                    row.get("query")));
        }
        return text.toString();
    }

    /** The statement on one line, cut to 110 characters: enough to know it. */
    private static String shorten(String query) {
        String line = query.replaceAll("\\s+", " ").trim();
        return line.length() <= 110 ? line : line.substring(0, 107) + "...";
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
