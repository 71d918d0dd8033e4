package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.PersonalDataHolders;
import org.orderly.app.support.Shop;
import org.orderly.config.backup.Restore;
import org.orderly.config.database.EmbeddedCredentials;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Backs up a running Orderly on its embedded PostgreSQL while clients register and order, restores the backup into
 * a fresh data directory with the restore command, and starts Orderly on it, as an operator would after losing the
 * original: every acknowledged write from before the backup is there, nothing from after it, every read model
 * agrees with the event store, and the processors carry on from the positions the backup holds without replaying.
 * A second test restores to a moment between two registrations from the WAL archive; a third restores a backup
 * taken before a customer's erasure, and the erasure ledger erases them again.
 */
class BackupRestoreIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Pattern TOKEN_INDEX = Pattern.compile("\"index\"\\s*:\\s*(\\d+)");

    private final List<Path> directories = new ArrayList<>();

    /** A write a client sent and the service acknowledged, with when it was sent and when its answer came. */
    private record Acknowledged(String kind, String id, Instant sent, Instant acknowledged) {
    }

    @AfterEach
    void deleteDirectories() throws IOException {
        for (Path directory : directories) {
            if (Files.exists(directory)) {
                try (var paths = Files.walk(directory)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    @Test
    void aBackupTakenUnderLoadRestoresEveryWriteAcknowledgedBeforeItAndProcessorsCarryOnWithoutReplaying()
            throws Exception {
        Path original = dataDirectory();
        Path restored = dataDirectory();
        Queue acknowledged = new Queue();
        Instant backupAskedAt;
        Instant backupSeenDone;
        JsonNode backup;
        Map<String, Long> eventsAtStop;
        try (ConfigurableApplicationContext app = start(original, false, Map.of())) {
            Identities identities = identities(app);
            Shop shop = new Shop(identities);
            String product = shop.product("Backed-up pen", "1.00");
            shop.receive(product, 1_000_000);
            List<String> buyers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                buyers.add(shop.customer("1000000.00"));
            }
            for (String buyer : buyers) {
                shop.place(buyer, Shop.line(product, 1)); // the order domain's copies know each buyer from here on
            }

            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(buyers.size());
            for (String buyer : buyers) {
                clients.execute(() -> load(identities, shop, buyer, product, loading, acknowledged));
            }
            Thread.sleep(8_000);
            backupAskedAt = Instant.now();
            Http.Response asked = identities.operator().post("/api/ops/backups", null);
            assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
            String location = asked.header("Location");
            assertThat(location).isEqualTo("/api/ops/backups/" + asked.json().get("backupId").asText());
            JsonNode[] seen = new JsonNode[1];
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                seen[0] = identities.operator().get(location).json();
                assertThat(seen[0].get("phase").asText()).isNotEqualTo("FAILED");
                return seen[0].get("phase").asText().equals("DONE");
            });
            backupSeenDone = Instant.now();
            backup = seen[0];
            Thread.sleep(4_000);
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(identities.operator().get("/api/ops/backups").json().get("items").get(0).get("backupId").asText())
                    .isEqualTo(backup.get("backupId").asText());
            eventsAtStop = eventCounts(app.getBean(JdbcTemplate.class));
        }
        Path backupDirectory = Path.of(backup.get("directory").asText());
        assertOwnerOnly(backupDirectory.resolve("pgdata-credentials.properties"));
        List<Acknowledged> before = acknowledged.sentOrAcknowledged(a -> a.acknowledged().isBefore(backupAskedAt));
        List<Acknowledged> after = acknowledged.sentOrAcknowledged(a -> a.sent().isAfter(backupSeenDone));
        assertThat(before).as("writes acknowledged before the backup was asked for").hasSizeGreaterThanOrEqualTo(10);
        assertThat(after).as("writes sent after the backup was done").hasSizeGreaterThanOrEqualTo(4);

        long restoreStarted = System.nanoTime();
        RestoreCommand command = restoreCommand(backupDirectory, restored, null);
        long restoreMillis = (System.nanoTime() - restoreStarted) / 1_000_000;
        assertThat(command.exitCode()).as(command.output()).isZero();
        assertThat(command.output()).contains("Restored backup " + backup.get("backupId").asText())
                .as("promoted to a timeline of its own").contains("timeline 2");
        assertOwnerOnly(EmbeddedCredentials.fileFor(restored));
        command.output().lines().filter(line -> line.startsWith("Restored backup")).forEach(System.out::println);
        System.out.printf("Backup under load: %d ms, %d bytes (WAL %s to %s); restore command: %d ms (JVM included)%n",
                Duration.between(Instant.parse(backup.get("startedAt").asText()),
                        Instant.parse(backup.get("endedAt").asText())).toMillis(),
                backup.get("sizeBytes").asLong(), backup.get("startLsn").asText(), backup.get("stopLsn").asText(),
                restoreMillis);

        Map<String, Long> restoredTokens = new TreeMap<>();
        Map<String, String> restoredCustomerRows = new HashMap<>();
        inspect(restored, jdbc -> {
            for (String schema : List.of("customer", "orders", "payment", "inventory", "shipping", "workflows")) {
                jdbc.query("SELECT processor_name, segment, token FROM " + schema + ".token_entry WHERE token IS NOT NULL",
                        row -> {
                            String processor = row.getString("processor_name");
                            index(row.getBytes("token")).ifPresent(index -> restoredTokens.merge(processor, index,
                                    Math::min));
                        });
            }
            jdbc.query("SELECT customer_id::text, xmin::text FROM customer.customers",
                    row -> {
                        restoredCustomerRows.put(row.getString(1), row.getString(2));
                    });
        });
        assertThat(restoredTokens).as("positions the backup holds").containsKeys("customers", "orders");

        try (ConfigurableApplicationContext app = start(restored, true, Map.of())) {
            JdbcTemplate events = app.getBean(JdbcTemplate.class);
            DomainStores stores = app.getBean(DomainStores.class);
            Set<String> registered = Set.copyOf(events.queryForList("""
                    SELECT aggregate_identifier FROM event_store.domain_event_entry
                     WHERE payload_type = 'org.orderly.api.customer.CustomerRegisteredEvent'""", String.class));
            Set<String> placed = Set.copyOf(events.queryForList("""
                    SELECT aggregate_identifier FROM event_store.domain_event_entry
                     WHERE payload_type = 'org.orderly.api.order.OrderPlacedEvent'""", String.class));
            for (Acknowledged write : before) {
                assertThat(write.kind().equals("customer") ? registered : placed)
                        .as("%s %s acknowledged before the backup", write.kind(), write.id()).contains(write.id());
            }
            for (Acknowledged write : after) {
                assertThat(write.kind().equals("customer") ? registered : placed)
                        .as("%s %s sent after the backup was done", write.kind(), write.id()).doesNotContain(write.id());
            }
            assertThat(eventCounts(events).values().stream().mapToLong(Long::longValue).sum())
                    .as("the restored store holds less than the original had at its stop")
                    .isLessThan(eventsAtStop.values().stream().mapToLong(Long::longValue).sum());

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(readModel(stores, "customer", "SELECT customer_id::text, version FROM customers"))
                        .isEqualTo(lastSequences(events, "org.orderly.api.customer.%", registered));
                assertThat(readModel(stores, "orders", "SELECT order_id::text, status || '@' || version FROM orders"))
                        .isEqualTo(orderStatuses(events));
            });
            Map<String, Long> resumedTokens = new TreeMap<>();
            for (String domain : List.of("customer", "orders", "payment", "inventory", "shipping", "workflows")) {
                stores.get(domain).jdbc().query("SELECT processor_name, token_type, token FROM token_entry", row -> {
                    assertThat(row.getString("token_type")).as("a replay token").doesNotContain("Replay");
                    if (row.getBytes("token") != null) {
                        assertThat(new String(row.getBytes("token"), StandardCharsets.UTF_8)).doesNotContain("Replay");
                        String processor = row.getString("processor_name");
                        index(row.getBytes("token")).ifPresent(index -> resumedTokens.merge(processor, index,
                                Math::min));
                    }
                });
            }
            restoredTokens.forEach((processor, index) -> assertThat(resumedTokens.get(processor))
                    .as("position of %s after the restart (it was %d in the backup)", processor, index)
                    .isNotNull().isGreaterThanOrEqualTo(index));
            Map<String, String> rowsNow = new HashMap<>();
            stores.get("customer").jdbc().query("SELECT customer_id::text, xmin::text FROM customers",
                    row -> {
                        rowsNow.put(row.getString(1), row.getString(2));
                    });
            assertThat(rowsNow).as("customer rows the backup held, untouched since: nothing replayed them")
                    .containsAllEntriesOf(restoredCustomerRows);

            // and it serves: a new customer signs up, a restored one logs in and orders
            Identities identities = identities(app);
            Identities.Customer newcomer = identities.customer("After the restore");
            assertThat(newcomer.http().get("/api/customers/" + newcomer.id(), "Orderly-Position", newcomer.position()).status())
                    .isEqualTo(200);
            assertThat(identities.staff().get("/api/orders?limit=1").status()).as("staff log in as before").isEqualTo(200);
        }
    }

    @Test
    void aRestoreToAMomentBetweenTwoRegistrationsHasTheFirstAndNotTheSecond() throws Exception {
        Path original = dataDirectory();
        Path restored = dataDirectory();
        Map<String, Object> archiving = Map.of("orderly.backup.archive-wal", "true");
        String before;
        String afterEmail = "later-" + UUID.randomUUID() + "@example.com";
        String after;
        Instant between;
        Path firstBackup;
        Instant firstBackupStarted;
        try (ConfigurableApplicationContext app = start(original, false, archiving)) {
            Identities identities = identities(app);
            JsonNode first = backUp(identities);
            firstBackup = Path.of(first.get("directory").asText());
            firstBackupStarted = Instant.parse(first.get("startedAt").asText());
            before = identities.customer("Before the moment").id();
            Thread.sleep(1_500);
            between = Instant.now();
            Thread.sleep(1_500);
            after = identities.customer(afterEmail, "After the moment").id();
            // a later backup ends its WAL segment and waits for it to be archived, as a nightly one would
            backUp(identities);
        }

        Path tooEarly = dataDirectory();
        assertThatThrownBy(() -> Restore.run(firstBackup, tooEarly, new Restore.Target.Time(firstBackupStarted
                .minusSeconds(1)), null, null, Duration.ofMinutes(5)))
                .as("a moment before the backup began").hasMessageContaining("restore a backup taken before that moment");
        assertThat(tooEarly).as("a refused restore leaves nothing to clear before the next").doesNotExist();
        Path tooLate = dataDirectory();
        assertThatThrownBy(() -> Restore.run(firstBackup, tooLate, new Restore.Target.Time(Instant.now().plusSeconds(3600)),
                null, null, Duration.ofMinutes(5)))
                .as("a moment past the end of the archive").hasMessageContaining("PostgreSQL stopped while replaying")
                .hasMessageContaining("recovery ended before configured recovery target was reached");
        assertThat(tooLate).as("a failed restore leaves nothing to clear before the next").doesNotExist();

        Restore.Result result = Restore.run(firstBackup, restored, new Restore.Target.Time(between), null,
                restored.resolveSibling("accounts.properties"), Duration.ofMinutes(5));
        assertThat(result.fromArchive()).isTrue();
        assertThat(result.timeline()).as("promoted to a new timeline at the moment").isGreaterThan(1);
        System.out.printf("Point-in-time restore: %d ms%n", result.took().toMillis());

        try (ConfigurableApplicationContext app = start(restored, true, archiving)) {
            Identities identities = identities(app);
            Http staff = identities.staff();
            await().atMost(PATIENCE).until(() -> staff.get("/api/customers/" + before).status() == 200);
            assertThat(staff.get("/api/customers/" + after).status()).isEqualTo(404);
            JdbcTemplate events = app.getBean(JdbcTemplate.class);
            assertThat(events.queryForObject("SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class, after)).isZero();
            // the email's claim is as of the moment too: the address is free again
            Http.Response again = identities.anonymous().post("/api/customers", "{\"email\": \"" + afterEmail
                    + "\", \"name\": \"Again\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
        }
    }

    @Test
    void aCustomerErasedAfterABackupStaysErasedWhenTheBackupIsRestored() throws Exception {
        Path original = dataDirectory();
        Path restored = dataDirectory();
        Path secrets = OrderlyTestDatabase.freshDirectory().getParent();
        directories.add(secrets);
        Path ledger = secrets.resolve("erased-subjects");
        // the master keys and the ledger live beside each other, outside the database and its backups
        Map<String, Object> privacy = Map.of("orderly.privacy.master-key-file", secrets.resolve("master-keys.properties")
                .toString(), "orderly.privacy.erasure-ledger-file", ledger.toString());
        String sentinel = "restored" + UUID.randomUUID().toString().replace("-", "");
        String email = sentinel + "@example.com";
        Identities.Customer erased;
        Identities.Customer kept;
        String order;
        Path backupDirectory;
        try (ConfigurableApplicationContext app = start(original, false, privacy)) {
            Identities identities = identities(app);
            Shop shop = new Shop(identities);
            String product = shop.product("Restored pen", "1.00");
            shop.receive(product, 10);
            erased = identities.customer(email, "Name " + sentinel);
            kept = identities.customer("Kept " + UUID.randomUUID());
            Http.Response[] placed = new Http.Response[1];
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                placed[0] = erased.http().post("/api/orders", "{\"customerId\": \"" + erased.id() + "\", \"lines\": ["
                        + Shop.line(product, 1) + "]}");
                return placed[0].status() != 503 && placed[0].status() != 422;
            });
            assertThat(placed[0].status()).as(placed[0].toString()).isEqualTo(202);
            order = placed[0].json().get("orderId").asText();
            await().atMost(PATIENCE).until(() -> identities.staff().get("/api/orders/" + order).status() == 200
                    && identities.staff().get("/api/notifications?customerId=" + erased.id()).json()
                    .path("items").size() > 0);
            backupDirectory = Path.of(backUp(identities).get("directory").asText());

            Http.Response asked = erased.http().request("POST", "/api/customers/" + erased.id() + "/erasure", null);
            assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
            await().atMost(PATIENCE).until(() -> identities.staff().get(asked.header("Location")).json()
                    .path("status").asText().equals("ERASED"));
        }
        assertOwnerOnly(ledger);
        assertThat(Files.readAllLines(ledger)).as("the ledger: ids only").containsExactly(erased.id());

        Restore.run(backupDirectory, restored, new Restore.Target.EndOfBackup(), null,
                restored.resolveSibling("accounts.properties"), Duration.ofMinutes(5));
        List<String> inTheBackup = new ArrayList<>();
        inspect(restored, jdbc -> {
            inTheBackup.addAll(jdbc.queryForList("SELECT email FROM customer.customers WHERE customer_id = ?::uuid",
                    String.class, erased.id()));
            inTheBackup.addAll(jdbc.queryForList("SELECT subject_id FROM keys.subject_key WHERE subject_id = ?",
                    String.class, erased.id()));
            assertThat(jdbc.queryForList("SELECT subject_id FROM keys.erased_subject", String.class)).isEmpty();
        });
        assertThat(inTheBackup).as("the backup brought the customer and their key back").containsExactly(email,
                erased.id());

        try (ConfigurableApplicationContext app = start(restored, true, privacy)) {
            Identities identities = identities(app);
            Http staff = identities.staff();
            DomainStores stores = app.getBean(DomainStores.class);
            assertThat(stores.get("keys").jdbc().queryForList("SELECT subject_id FROM subject_key WHERE subject_id = ?",
                    String.class, erased.id())).as("the erased customer's key").isEmpty();
            assertThat(stores.get("keys").jdbc().queryForList("SELECT subject_id FROM erased_subject", String.class))
                    .containsExactly(erased.id());
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(staff.get("/api/customers/" + erased.id()).json().get("email").asText())
                        .isEqualTo(PersonalData.ERASED);
                assertThat(staff.get("/api/orders/" + order).json().get("customerEmail").asText())
                        .isEqualTo(PersonalData.ERASED);
                assertThat(staff.get("/api/notifications?customerId=" + erased.id()).body()).doesNotContain(sentinel);
                assertThat(holdersOf(app.getBean(JdbcTemplate.class), stores, sentinel))
                        .as("tables holding the erased customer's email or name").isEmpty();
            });
            assertThat(app.getBean(JdbcTemplate.class).queryForObject("""
                    SELECT count(*) FROM event_store.domain_event_entry
                     WHERE aggregate_identifier = ? AND payload_type = 'org.orderly.api.customer.CustomerErasedEvent'
                    """, Long.class, erased.id())).as("erasures recorded after the restore").isEqualTo(1);
            Identities.TokenResponse erasedLogin = identities.requestToken(email, Identities.CUSTOMER_PASSWORD);
            assertThat(erasedLogin.status()).as(erasedLogin.body()).isEqualTo(400);
            assertThat(erasedLogin.json().get("error").asText()).as("a login no account has").isEqualTo("invalid_grant");
            identities.customer(email, "A new customer with the same email");
            JsonNode other = staff.get("/api/customers/" + kept.id()).json();
            assertThat(other.get("email").asText()).isEqualTo(kept.email());
            assertThat(other.get("name").asText()).startsWith("Kept ");
        }
    }

    private static List<String> holdersOf(JdbcTemplate main, DomainStores stores, String sentinel) {
        return PersonalDataHolders.holdersOf(main, stores, sentinel);
    }

    /** Clients that sign up and order until told to stop, each write recorded once acknowledged. */
    private static void load(Identities identities, Shop shop, String buyer, String product, AtomicBoolean loading,
                             Queue acknowledged) {
        Http anonymous = identities.anonymous();
        while (loading.get()) {
            Instant sent = Instant.now();
            Http.Response signedUp = anonymous.post("/api/customers", "{\"email\": \"load-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Load\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
            if (signedUp.status() == 201) {
                acknowledged.add(new Acknowledged("customer", signedUp.json().get("customerId").asText(), sent,
                        Instant.now()));
            }
            sent = Instant.now();
            Http.Response placed = shop.as(buyer).post("/api/orders", "{\"customerId\": \"" + buyer + "\", \"lines\": ["
                    + Shop.line(product, 1) + "]}");
            if (placed.status() == 202) {
                acknowledged.add(new Acknowledged("order", placed.json().get("orderId").asText(), sent, Instant.now()));
            }
        }
    }

    private static JsonNode backUp(Identities identities) {
        Http.Response asked = identities.operator().post("/api/ops/backups", null);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        JsonNode[] seen = new JsonNode[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen[0] = identities.operator().get(asked.header("Location")).json();
            return seen[0].get("phase").asText().equals("DONE");
        });
        return seen[0];
    }

    private static final class Queue {
        private final ConcurrentLinkedQueue<Acknowledged> writes = new ConcurrentLinkedQueue<>();

        void add(Acknowledged write) {
            writes.add(write);
        }

        List<Acknowledged> sentOrAcknowledged(java.util.function.Predicate<Acknowledged> when) {
            return writes.stream().filter(when).toList();
        }
    }

    private record RestoreCommand(int exitCode, String output) {
    }

    /** The operator's restore command: the application's own entry point, in a JVM of its own. */
    private static RestoreCommand restoreCommand(Path backup, Path into, String target) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrderlyApplication.class.getName(),
                "--orderly.restore.from=" + backup, "--orderly.database.embedded.data-directory=" + into));
        if (target != null) {
            command.add("--orderly.restore.target=" + target);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new RestoreCommand(process.exitValue(), output);
    }

    /** Runs queries as the superuser on a restored data directory before Orderly starts on it. */
    private static void inspect(Path dataDirectory, java.util.function.Consumer<JdbcTemplate> queries) throws IOException {
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(EmbeddedCredentials.fileFor(dataDirectory))) {
            passwords.load(in);
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                .setConnectConfig("password", passwords.getProperty(EmbeddedCredentials.SUPERUSER))
                .setServerConfig("listen_addresses", "localhost").setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "200").start()) {
            queries.accept(new JdbcTemplate(postgres.getPostgresDatabase()));
        }
    }

    private static java.util.Optional<Long> index(byte[] token) {
        Matcher matcher = TOKEN_INDEX.matcher(new String(token, StandardCharsets.UTF_8));
        return matcher.find() ? java.util.Optional.of(Long.parseLong(matcher.group(1))) : java.util.Optional.empty();
    }

    private static Map<String, Object> readModel(DomainStores stores, String domain, String sql) {
        Map<String, Object> rows = new TreeMap<>();
        stores.get(domain).jdbc().query(sql, row -> {
            rows.put(row.getString(1), row.getObject(2) instanceof Number n ? n.longValue() : row.getString(2));
        });
        return rows;
    }

    /** For each aggregate in {@code ids}, the sequence number of its last event of the given types. */
    private static Map<String, Object> lastSequences(JdbcTemplate events, String payloadTypes, Set<String> ids) {
        Map<String, Object> last = new TreeMap<>();
        events.query("""
                SELECT aggregate_identifier, max(sequence_number) FROM event_store.domain_event_entry
                 WHERE payload_type LIKE ? GROUP BY aggregate_identifier""", row -> {
            if (ids.contains(row.getString(1))) {
                last.put(row.getString(1), row.getLong(2));
            }
        }, payloadTypes);
        return last;
    }

    /** Each order's status and version as its events in the store say. */
    private static Map<String, Object> orderStatuses(JdbcTemplate events) {
        Map<String, String> statuses = Map.of("OrderPlacedEvent", "PENDING", "OrderConfirmedEvent", "CONFIRMED",
                "OrderRejectedEvent", "REJECTED", "OrderCancelledEvent", "CANCELLED", "OrderShippedEvent", "SHIPPED",
                "OrderDeliveredEvent", "DELIVERED");
        Map<String, Object> orders = new TreeMap<>();
        events.query("""
                SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier, sequence_number, payload_type
                  FROM event_store.domain_event_entry WHERE payload_type LIKE 'org.orderly.api.order.%'
                 ORDER BY aggregate_identifier, sequence_number DESC""", row -> {
            String type = row.getString(3).substring(row.getString(3).lastIndexOf('.') + 1);
            orders.put(row.getString(1), statuses.get(type) + "@" + row.getLong(2));
        });
        return orders;
    }

    private static Map<String, Long> eventCounts(JdbcTemplate events) {
        return events.queryForList("SELECT payload_type, count(*) AS n FROM event_store.domain_event_entry GROUP BY payload_type")
                .stream().collect(Collectors.toMap(row -> (String) row.get("payload_type"),
                        row -> ((Number) row.get("n")).longValue()));
    }

    private static void assertOwnerOnly(Path file) throws IOException {
        assertThat(file).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .as("permissions of %s", file).isEqualTo("rw-------");
    }

    private Path dataDirectory() {
        Path data = OrderlyTestDatabase.freshDirectory();
        directories.add(data.getParent());
        return data;
    }

    /** Orderly on its embedded PostgreSQL in {@code dataDirectory}; a temporary one deletes it when it stops. */
    private static ConfigurableApplicationContext start(Path dataDirectory, boolean temporary, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(more);
        properties.put("orderly.database.embedded.data-directory", dataDirectory.toString());
        properties.put("orderly.database.embedded.port", "0");
        properties.put("orderly.database.embedded.temporary", Boolean.toString(temporary));
        // A command-line argument: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    private static Identities identities(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
