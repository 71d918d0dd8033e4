package org.orderly.bench;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Workload {@code rebuild}: {@code bench.rebuildEvents} synthetic customer events shaped like Orderly's own,
 * written in SQL as a store written before personal data was sealed holds them; the live processors' catch-up; a
 * replay of the customers projection through the operator API; Orderly's one-time sealing command; and the same
 * replay of the now sealed store, which is the one judged, against pgbench's 100-row insert rate on the same server.
 */
final class RebuildWorkload {

    private static final String CUSTOMER_EVENTS = "org.orderly.api.customer.";
    private static final int CHANGE_WINDOW = 1000;
    private static final int SLOTS_PER_CHUNK = 25_000;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SEALED_EMAIL = Pattern.compile("\"email\":\"pd1:[^\"]*\"");
    private static final Pattern SEALED_NAME = Pattern.compile("\"name\":\"pd1:[^\"]*\"");
    /** The revision of each customer event before its personal data was sealed. */
    private static final Map<String, String> PLAINTEXT_REVISIONS = Map.of(
            CUSTOMER_EVENTS + "CustomerRegisteredEvent", "2", CUSTOMER_EVENTS + "CustomerEmailChangedEvent", "1");
    private static final Pattern AXON_TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    /**
     * One customer stream as a user writes it, in SQL, one request (one trace id) each: seq 0 registered (with
     * its credit limit), seq 1 an email change a little later, seq 2 a credit limit change later again, seq 3 a
     * second email change. A customer's slot is its registration; each later change lands 1..1000 slots after
     * the one before, among other customers' registrations, as real traffic interleaves them. Rows are inserted in
     * slot order, so the table's own sequence (column default) hands out global indexes in that order; one
     * slot is one millisecond of time_stamp, ending about now.
     */
    private static final String SYNTHETIC_CUSTOMERS = """
            INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                meta_data, payload, payload_revision, payload_type, time_stamp)
            SELECT e.cid, e.s, (?::text[])[e.s + 1], gen_random_uuid()::text,
                   convert_to(replace((?::text[])[e.s + 1], '%T%', substr(e.th, 1, 8) || '-' || substr(e.th, 9, 4)
                       || '-4' || substr(e.th, 14, 3) || '-a' || substr(e.th, 18, 3) || '-' || substr(e.th, 21, 12)), 'UTF8'),
                   convert_to(replace(replace((?::text[])[e.s + 1], '%C%', e.cid),
                       '%E%', 'rebuild-' || e.c || '-' || e.s || '@example.com'), 'UTF8'),
                   (?::text[])[e.s + 1], (?::text[])[e.s + 1],
                   to_char((?::timestamptz + e.slot * interval '1 millisecond') AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
              FROM (SELECT c, s, slot,
                           substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a'
                               || substr(h, 18, 3) || '-' || substr(h, 21, 12) AS cid,
                           md5(? || '-t-' || c || '-' || s) AS th
                      FROM (SELECT c, s, md5(? || '-c-' || c) AS h,
                                   c + CASE s WHEN 0 THEN 0 WHEN 1 THEN d1 WHEN 2 THEN d1 + d2 ELSE d1 + d2 + d3 END
                                       AS slot
                              FROM generate_series(?::bigint, ?::bigint) c,
                                   LATERAL (SELECT 1 + (c * 2654435761) % ? AS d1, 1 + (c * 40503 + 17) % ? AS d2,
                                                   1 + (c * 7919 + 5) % ? AS d3) d,
                                   generate_series(0, 3) s) k
                     WHERE slot >= ? AND slot < ?) e
             ORDER BY e.slot, e.s, e.c
            """;

    private final Settings settings;
    private final Orderly orderly;
    private final OrderlyClient client;
    /** When the insert started and ended ({@link System#nanoTime()}), and the store's head before it. */
    private long insertStartedAt;
    private long insertedAt;
    private long headBeforeInsert;

    RebuildWorkload(Settings settings, Orderly orderly) {
        this.settings = settings;
        this.orderly = orderly;
        this.client = orderly.client();
    }

    /** @param pgbench the pgbench workload's figures of this run, {@code null} if it did not run */
    Map<String, Object> run(Map<?, ?> pgbench) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        long customersToAdd = settings.rebuild().events() / 4;
        try {
            String[][] templates = customerTemplates(result);
            result.put("insert", insertSyntheticCustomers(templates, customersToAdd));
            result.put("liveCatchUp", catchUp());
            result.put("replayBeforeSealing", replay("customers"));
            result.put("sealing", sealStoredEvents());
            result.put("replay", replay("customers"));
            result.put("readModel", checkCustomers());
            double rowsPerSecond;
            if (pgbench != null && pgbench.get("hundredRowRowsPerSecond-1") instanceof Number n) {
                rowsPerSecond = n.doubleValue();
            } else {
                Map<String, Object> pg = new PgbenchWorkload(settings, orderly.process()).run(false);
                result.put("pgbench", pg);
                rowsPerSecond = pg.get("hundredRowRowsPerSecond-1") instanceof Number n ? n.doubleValue() : 0;
            }
            Map<?, ?> replay = (Map<?, ?>) result.get("replay");
            if (rowsPerSecond > 0 && replay.get("eventsPerSecond") instanceof Number eps) {
                result.put("pgbenchHundredRowRowsPerSecond", Math.round(rowsPerSecond));
                result.put("replayOverPgbenchHundredRow", Math.round(eps.doubleValue() / rowsPerSecond * 100) / 100.0);
            }
        } catch (Exception e) {
            System.out.println("REBUILD FAILED: " + e);
            result.put("failed", e.toString());
        }
        return result;
    }

    /**
     * Registers a customer, changes its email, sets its credit limit and changes its email again over HTTP,
     * then reads back the rows
     * Orderly wrote: the synthetic rows copy every column of these, with the customer id, emails and trace ids
     * swapped for placeholders. Returns type, meta_data, payload, payload_revision, payload_type per sequence number.
     */
    private String[][] customerTemplates(Map<String, Object> result) throws Exception {
        String registered = "template-" + UUID.randomUUID() + "@example.com";
        String changed = "template-" + UUID.randomUUID() + "@example.com";
        String changedAgain = "template-" + UUID.randomUUID() + "@example.com";
        // with a login: a customer changes their own email, staff set the credit limit
        String password = orderly.shop().customerPassword();
        Response created = client.post("/api/customers", "{\"email\": \"" + registered + "\", \"name\": \"Bench\", "
                + "\"password\": \"" + password + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("template registration answered " + created.status() + ": " + created.body());
        }
        String id = created.json().get("customerId").asText();
        String customer = "Bearer " + client.token(registered, password);
        client.awaitStatus("/api/customers/" + id, 200);
        client.put("/api/customers/" + id + "/email", "{\"email\": \"" + changed + "\"}", customer).expect(204);
        client.put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"1500.00\", \"currency\": \"EUR\"}",
                client.staffAuthorization()).expect(204);
        client.put("/api/customers/" + id + "/email", "{\"email\": \"" + changedAgain + "\"}", customer).expect(204);
        List<String[]> rows = new ArrayList<>();
        List<String> timestamps = new ArrayList<>();
        List<String> rawMeta = new ArrayList<>();
        try (Connection c = orderly.process().postgres(); PreparedStatement s = c.prepareStatement("""
                SELECT sequence_number, type, meta_data, payload, payload_revision, payload_type, time_stamp
                  FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String meta = UUID_TEXT.matcher(new String(rs.getBytes("meta_data"), StandardCharsets.UTF_8))
                            .replaceAll("%T%");
                    // As a store written before personal data was sealed holds them: plaintext, under the older
                    // revision; the sealing command then seals them as it would an upgraded installation's.
                    String payload = SEALED_EMAIL.matcher(SEALED_NAME.matcher(
                                    new String(rs.getBytes("payload"), StandardCharsets.UTF_8))
                                    .replaceAll("\"name\":\"Bench\"")).replaceAll("\"email\":\"%E%\"")
                            .replace(id, "%C%").replace(registered, "%E%").replace(changed, "%E%")
                            .replace(changedAgain, "%E%");
                    String type = rs.getString("payload_type");
                    String revision = PLAINTEXT_REVISIONS.getOrDefault(type, rs.getString("payload_revision"));
                    rows.add(new String[] {rs.getString("type"), meta, payload, revision, type});
                    timestamps.add(rs.getString("time_stamp"));
                    rawMeta.add(new String(rs.getBytes("meta_data"), StandardCharsets.UTF_8));
                }
            }
        }
        List<String> shape = rows.stream().map(r -> r[4]).toList();
        List<String> expected = List.of(CUSTOMER_EVENTS + "CustomerRegisteredEvent", CUSTOMER_EVENTS
                + "CustomerEmailChangedEvent", CUSTOMER_EVENTS + "CustomerCreditLimitSetEvent", CUSTOMER_EVENTS
                + "CustomerEmailChangedEvent");
        // each from a request of its own (a trace id each)
        if (!shape.equals(expected) || rawMeta.stream().distinct().count() != rawMeta.size()
                || !timestamps.stream().allMatch(t -> AXON_TIMESTAMP.matcher(t).matches())) {
            throw new IllegalStateException("Orderly's customer stream no longer looks as the synthetic rows assume: "
                    + shape + ", meta data " + rawMeta + ", time stamps " + timestamps + "; adapt SYNTHETIC_CUSTOMERS");
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("customerId", id);
        for (int i = 0; i < rows.size(); i++) {
            template.put("seq" + i, rows.get(i)[4].substring(CUSTOMER_EVENTS.length()) + " " + rows.get(i)[2]
                    + " meta " + rows.get(i)[1]);
        }
        result.put("template", template);
        String[][] columns = new String[5][4];
        for (int i = 0; i < 4; i++) {
            for (int column = 0; column < 5; column++) {
                columns[column][i] = rows.get(i)[column];
            }
        }
        return columns;
    }

    private Map<String, Object> insertSyntheticCustomers(String[][] columns, long customersToAdd) throws Exception {
        long slots = customersToAdd + 3L * CHANGE_WINDOW;
        String salt = UUID.randomUUID().toString();
        String base = Instant.now().minusMillis(slots).truncatedTo(ChronoUnit.MILLIS).toString();
        long inserted = 0;
        headBeforeInsert = orderly.readModels().head();
        long start = System.nanoTime();
        System.out.printf("rebuild: inserting %,d customer events (%,d customers) into event_store.domain_event_entry%n",
                customersToAdd * 4, customersToAdd);
        try (Connection c = orderly.process().postgres(); PreparedStatement s = c.prepareStatement(SYNTHETIC_CUSTOMERS)) {
            for (int i = 0; i < 5; i++) {
                s.setArray(i + 1, c.createArrayOf("text", columns[i]));
            }
            s.setString(6, base);
            s.setString(7, salt);
            s.setString(8, salt);
            s.setLong(11, CHANGE_WINDOW);
            s.setLong(12, CHANGE_WINDOW);
            s.setLong(13, CHANGE_WINDOW);
            for (long from = 0; from < slots; from += SLOTS_PER_CHUNK) {
                long to = Math.min(slots, from + SLOTS_PER_CHUNK);
                long firstCustomer = Math.max(0, from - 3L * CHANGE_WINDOW);
                long lastCustomer = Math.min(customersToAdd - 1, to - 1);
                if (firstCustomer > lastCustomer) {
                    continue;
                }
                s.setLong(9, firstCustomer);
                s.setLong(10, lastCustomer);
                s.setLong(14, from);
                s.setLong(15, to);
                inserted += s.executeUpdate();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("rebuild: inserted %,d / %,d events, %.1f s, %,.0f rows/s%n", inserted,
                        customersToAdd * 4, seconds, inserted / seconds);
            }
        }
        insertedAt = System.nanoTime();
        insertStartedAt = start;
        double seconds = (insertedAt - start) / 1e9;
        if (inserted != customersToAdd * 4) {
            throw new IllegalStateException("inserted " + inserted + " events, expected " + customersToAdd * 4);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", inserted);
        result.put("customers", customersToAdd);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        result.put("rowsPerSecond", Math.round(inserted / seconds));
        result.put("headAfterInsert", orderly.readModels().head());
        return result;
    }

    /**
     * Orderly's live processors handle the new events by themselves: polls the operator API every second until
     * every processor has reached the head and the notification outbox has no pending welcome left (so that the
     * replay runs alone), or {@code bench.catchUpTimeout} seconds (1800). Events/s per processor: the events
     * inserted over the time from the start of the insert (processors start on the first chunk as soon as it
     * commits) to the poll that saw it at the head, so at best the insert's own rate.
     */
    private Map<String, Object> catchUp() throws Exception {
        long head = orderly.readModels().head();
        long timeout = settings.rebuild().catchUpTimeout().toNanos();
        Map<String, Long> caughtUpAt = new LinkedHashMap<>();
        Map<String, Long> startPositions = new LinkedHashMap<>();
        long pending = -1;
        long lastPrint = 0;
        while (true) {
            JsonNode processors = client.opsJson("/api/ops/processors");
            long now = System.nanoTime();
            List<String> lagging = new ArrayList<>();
            if (processors != null) {
                for (JsonNode processor : processors.path("items")) {
                    String name = processor.path("name").asText();
                    long position = Long.MAX_VALUE;
                    for (JsonNode segment : processor.path("segments")) {
                        position = Math.min(position, segment.path("position").asLong());
                    }
                    startPositions.putIfAbsent(name, position);
                    if (position >= head) {
                        caughtUpAt.putIfAbsent(name, now);
                    } else {
                        lagging.add(name + " " + (head - position));
                    }
                }
            }
            pending = orderly.readModels().pendingNotifications();
            boolean done = processors != null && lagging.isEmpty() && pending == 0;
            if (done || now - lastPrint > TimeUnit.MILLISECONDS.toNanos(990)) {
                lastPrint = now;
                System.out.printf("catch-up %5.1f s after the insert: lagging %s; notifications pending %d%n",
                        (now - insertedAt) / 1e9, lagging.isEmpty() ? "none" : String.join(", ", lagging), pending);
            }
            if (done || now - insertedAt > timeout) {
                break;
            }
            Thread.sleep(1000);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> perProcessor = new LinkedHashMap<>();
        for (Map.Entry<String, Long> start : startPositions.entrySet()) {
            Long at = caughtUpAt.get(start.getKey());
            Map<String, Object> figures = new LinkedHashMap<>();
            // every processor was at (or within a few events of) the head before the insert: the template customer
            long events = head - headBeforeInsert;
            double fromInsert = at == null ? Double.NaN : (at - insertStartedAt) / 1e9;
            figures.put("secondsAfterInsertEnded", at == null ? null : Math.round((at - insertedAt) / 1e8) / 10.0);
            figures.put("eventsPerSecondFromInsertStart", at == null ? null : Math.round(events / fromInsert));
            perProcessor.put(start.getKey(), figures);
        }
        result.put("head", head);
        result.put("processors", perProcessor);
        result.put("notificationsPendingAtEnd", pending);
        result.put("complete", caughtUpAt.keySet().containsAll(startPositions.keySet()) && pending == 0);
        return result;
    }

    /**
     * Starts the replay through the operator API and follows it, printing its progress every second. The
     * replay counts as complete when the read model is what the event store says it must be (one row per
     * customer, each at its stream's last sequence number), checked every second in SQL: the operator
     * API's own outcome is recorded beside it but not relied on, since it can report COMPLETED right after
     * the reset, before the processor has handled anything.
     */
    private Map<String, Object> replay(String processor) throws Exception {
        long[] expected = customerReadModel("""
                SELECT count(*), coalesce(sum(last), 0) FROM (SELECT max(sequence_number) AS last
                  FROM event_store.domain_event_entry WHERE payload_type LIKE 'org.orderly.api.customer.%'
                 GROUP BY aggregate_identifier) streams""");
        long start = System.nanoTime();
        Response started = client.opsPost("/api/ops/processors/" + processor + "/replay");
        if (started.status() != 202) {
            throw new IllegalStateException("replay answered " + started.status() + ": " + started.body());
        }
        String id = started.json().get("replayId").asText();
        long target = started.json().get("targetPosition").asLong();
        System.out.printf("replay %s of %s started, up to global index %,d; complete at %,d rows with versions summing "
                + "to %,d%n", id, processor, target, expected[0], expected[1]);
        long timeout = settings.rebuild().replayTimeout().toNanos();
        long lastPrint = start;
        long lastDone = 0;
        Long apiEndedAfter = null;
        String apiOutcome = "RUNNING";
        JsonNode replay = null;
        boolean complete;
        List<Map<String, Object>> progress = new ArrayList<>();
        // The store holds the synthetic million plus what the earlier workloads registered: the first million is
        // timed on its own, from the check that first saw it in the read model (so at most a second late).
        Double firstMillionAfter = null;
        long nextApiPoll = start;
        long all = expected[0] + expected[1];
        while (true) {
            // Every second, every 100 ms near the end: each check scans the read model, and each operator call
            // validates a token, both on the cores the replay runs on.
            Thread.sleep(lastDone > all * 0.97 ? 100 : 1000);
            long[] now = customerReadModel("SELECT count(*), coalesce(sum(version), 0) FROM customer.customers");
            long at = System.nanoTime();
            complete = now[0] == expected[0] && now[1] == expected[1];
            JsonNode status = null;
            if (complete || at >= nextApiPoll) {
                status = client.opsJson("/api/ops/replays/" + id);
                nextApiPoll = at + TimeUnit.SECONDS.toNanos(2);
            }
            if (status != null) {
                replay = status;
                if (apiEndedAfter == null && !"RUNNING".equals(status.path("outcome").asText())) {
                    apiEndedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    apiOutcome = status.path("outcome").asText();
                }
            }
            // events the read model reflects: one per row plus its version (a stream of n events ends at version n-1)
            long done = now[0] + now[1];
            if (firstMillionAfter == null && done >= 1_000_000) {
                firstMillionAfter = (at - start) / 1e9;
            }
            if (complete || at - lastPrint >= TimeUnit.MILLISECONDS.toNanos(990)) {
                double seconds = (at - start) / 1e9;
                double rate = (done - lastDone) / ((at - lastPrint) / 1e9);
                double percent = all == 0 ? 100 : 100.0 * done / all;
                long eta = rate > 0 ? Math.round((all - done) / rate) : -1;
                System.out.printf("replay %5.1f s: read model %5.1f %% (%,d / %,d customer events), %,8.0f customer events/s, "
                                + "ETA %s s; operator API: %s %s %%%n", seconds, percent, done, all, rate,
                        eta < 0 ? "?" : Long.toString(eta), replay == null ? "?" : replay.path("outcome").asText(),
                        replay == null ? "?" : replay.path("percent").asText());
                progress.add(Map.of("seconds", Math.round(seconds * 10) / 10.0, "readModelPercent",
                        Math.round(percent * 10) / 10.0, "apiPercent", replay == null ? -1 : replay.path("percent").asDouble()));
                lastPrint = at;
                lastDone = done;
            }
            if (complete || at - start > timeout) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("replayId", id);
        result.put("complete", complete);
        result.put("eventsReplayed", target);
        result.put("customerEvents", expected[0] + expected[1]);
        result.put("secondsToCompletion", Math.round(seconds * 10) / 10.0);
        result.put("secondsToFirstMillionCustomerEvents", firstMillionAfter == null ? null
                : Math.round(firstMillionAfter * 10) / 10.0);
        result.put("eventsPerSecond", complete ? Math.round(target / seconds) : null);
        result.put("operatorApiOutcome", apiOutcome);
        result.put("operatorApiEndedAfterMs", apiEndedAfter);
        result.put("progress", progress);
        System.out.printf("replay of %s: %s, %,d events in %.1f s, %s events/s (operator API said %s after %s ms)%n",
                processor, complete ? "complete" : "NOT complete", target, seconds, result.get("eventsPerSecond"),
                apiOutcome, apiEndedAfter);
        return result;
    }

    private long[] customerReadModel(String sql) throws SQLException {
        try (Connection c = orderly.process().postgres(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Stops Orderly, runs its one-time sealing command on the store (every synthetic customer gets a key, and each
     * stored plaintext email and name is sealed under it), and starts Orderly again: the replay that follows reads a
     * sealed store, as every installation's is once upgraded, and the one before it read the same events in
     * plaintext.
     */
    private Map<String, Object> sealStoredEvents() throws Exception {
        OrderlyProcess process = orderly.process();
        process.stop(120);
        System.out.println("rebuild: sealing the stored events with Orderly's one-time command");
        long start = System.nanoTime();
        int exit = process.runOnce("--orderly.privacy.seal-stored-events=true", "app-sealing.log");
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", exit);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        System.out.printf("rebuild: sealing command exited %d after %.1f s (log: app-sealing.log)%n", exit, seconds);
        process.restart("app-after-sealing.log");
        client.login();
        if (exit != 0) {
            throw new IllegalStateException("the sealing command exited " + exit + "; see app-sealing.log");
        }
        return result;
    }

    /**
     * The rebuilt read model against the event store: one row per registered customer, and the newest
     * synthetic customer read over HTTP as its stream says (email of its last change, credit limit, version).
     */
    private Map<String, Object> checkCustomers() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        String last;
        try (Connection c = orderly.process().postgres(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM event_store.domain_event_entry WHERE payload_type = '"
                    + CUSTOMER_EVENTS + "CustomerRegisteredEvent'")) {
                rs.next();
                result.put("expectedRows", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM customer.customers")) {
                rs.next();
                result.put("rows", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT aggregate_identifier FROM event_store.domain_event_entry "
                    + "WHERE payload_type = '" + CUSTOMER_EVENTS + "CustomerRegisteredEvent' ORDER BY global_index DESC LIMIT 1")) {
                rs.next();
                last = rs.getString(1);
            }
        }
        HttpResponse<String> found = client.get("/api/customers/" + last);
        JsonNode view = found.statusCode() == 200 ? Http.JSON.readTree(found.body()) : null;
        boolean sampleOk = view != null && view.path("email").asText().endsWith("-3@example.com")
                && view.path("version").asLong() == 3
                && new BigDecimal(view.path("creditLimit").path("amount").asText("0")).compareTo(new BigDecimal("1500")) == 0;
        result.put("sampleCustomer", view == null ? null : view.toString());
        result.put("sampleAsItsStreamSays", sampleOk);
        result.put("expectedRowCount", result.get("rows").equals(result.get("expectedRows")));
        System.out.println("customers read model after the replay: " + result);
        return result;
    }

}
