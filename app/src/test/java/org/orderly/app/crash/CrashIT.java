package org.orderly.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.Shop;

/**
 * A crash never changes a business outcome, shown with real processes: the packaged Orderly jar runs as a child JVM on the README's
 * embedded default (its own PostgreSQL in a data directory), under mixed concurrent load over REST, and is killed
 * with {@code kill -9}, alternately the JVM alone and the JVM with every process of its PostgreSQL, then started
 * again on the same data directory while the load carries on. After the last restart and a settle, the event store
 * (read with JDBC) and the REST API must tell, for every order in the store, acknowledged or not, the story its
 * client was told: see {@link CrashAudit} for each invariant.
 * <p>
 * In the suite it kills once of each kind; {@code bench/crash.sh} (or {@code -Dorderly.crash.kills=5}) kills five
 * times of each. Other settings, as system properties: {@code orderly.crash.loadSeconds} (load between kills, 12),
 * {@code orderly.crash.clients} (6), {@code orderly.crash.settleSeconds} (longest settle, 90),
 * {@code orderly.crash.keep} (keep the data directory). The report, with every violation, goes to
 * {@code app/target/crash/}, beside a copy of the node's log.
 * <p>
 * {@code orderly.crash.operatorKillsOrphan=true} adds an operator's step the product should make unnecessary: after
 * a kill of the JVM alone, kill the PostgreSQL it left running before starting Orderly again. Off by default, and
 * named in the report when used.
 */
class CrashIT {

    private static final int KILLS = Integer.getInteger("orderly.crash.kills", 1);
    private static final int LOAD_SECONDS = Integer.getInteger("orderly.crash.loadSeconds", 12);
    private static final int CLIENTS = Integer.getInteger("orderly.crash.clients", 6);
    private static final int SETTLE_SECONDS = Integer.getInteger("orderly.crash.settleSeconds", 90);
    private static final boolean KEEP = Boolean.getBoolean("orderly.crash.keep");
    private static final boolean OPERATOR_KILLS_ORPHAN = Boolean.getBoolean("orderly.crash.operatorKillsOrphan");

    private enum Kill { JVM, JVM_AND_POSTGRES }

    private volatile boolean up;

    @Test
    void everyOrderEndsAsItsClientWasToldWithStockAndMoneyAddingUpAfterKillsOfTheJvmAndOfItsPostgres()
            throws Exception {
        Path jar = appJar();
        Path work = Files.createTempDirectory("orderly-crash-");
        Path reports = Path.of("target", "crash").toAbsolutePath();
        Files.createDirectories(reports);
        String stamp = Instant.now().toString().replace(':', '-');
        Map<String, Object> counts = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        CrashLedger ledger = new CrashLedger();
        CrashAudit audit = new CrashAudit();
        String failure = null;
        long begin = System.nanoTime();

        try (CrashNode node = new CrashNode(jar, work, List.of("--logging.level.root=WARN",
                "--logging.level.org.orderly=INFO", "--logging.level.io.zonky=INFO"))) {
            events.add("start 1 ready in " + node.start().toMillis() + " ms (fresh data directory " + node.dataDirectory() + ")");
            up = true;
            Identities identities = new Identities(node.httpPort());
            Shop shop = new Shop(identities);
            List<String> products = new ArrayList<>();
            String[] prices = {"2.50", "4.00", "7.25", "1.10"};
            for (int i = 0; i < prices.length; i++) {
                String product = shop.product("Crash product " + i, prices[i]);
                shop.receive(product, 1_000_000);
                products.add(product);
            }
            Map<String, Http> customers = new LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                String customer = shop.customer("100000.00");
                customers.put(customer, shop.as(customer));
                ledger.registrations.put(customer, "regular " + i);
            }
            Http staff = shop.http();
            CrashLoad load = new CrashLoad(ledger, () -> up, staff, identities.anonymous(), customers, products);
            load.start(CLIENTS);

            List<Kill> kills = new ArrayList<>();
            for (int i = 0; i < KILLS; i++) {
                kills.add(Kill.JVM);
                kills.add(Kill.JVM_AND_POSTGRES);
            }
            int number = 0;
            for (Kill kill : kills) {
                number++;
                // Anywhere in the second half of a load period: the kill lands on whatever is in flight.
                Thread.sleep(LOAD_SECONDS * 500L + ThreadLocalRandom.current().nextLong(LOAD_SECONDS * 500L));
                int acknowledged = ledger.orders.size();
                if (kill == Kill.JVM) {
                    Optional<ProcessHandle> orphan = node.killJvm();
                    up = false;
                    events.add("kill " + number + ": kill -9 of the JVM alone after " + acknowledged
                            + " acknowledged orders; " + orphan.map(p -> "its PostgreSQL (postmaster " + p.pid()
                            + ") outlived it").orElse("no PostgreSQL outlived it"));
                    if (OPERATOR_KILLS_ORPHAN && orphan.isPresent()) {
                        orphan.get().destroyForcibly();
                        orphan.get().onExit().get();
                        events.add("  OPERATOR STEP (orderly.crash.operatorKillsOrphan): killed the orphaned postmaster "
                                + orphan.get().pid() + " before the restart");
                    }
                } else {
                    long postmaster = node.killJvmAndPostgres();
                    up = false;
                    events.add("kill " + number + ": kill -9 of the JVM and PostgreSQL (postmaster " + postmaster
                            + " and its processes) after " + acknowledged + " acknowledged orders");
                }
                try {
                    events.add("  start " + (number + 1) + " ready in " + node.start().toMillis() + " ms on the same data directory");
                } catch (IllegalStateException e) {
                    failure = "Orderly did not come back after kill " + number + " (" + kill + "):\n" + e.getMessage();
                    events.add("  " + failure);
                    break;
                }
                up = true;
            }

            if (failure == null) {
                Thread.sleep(LOAD_SECONDS * 1000L);
            }
            load.stopPlacing();
            long finishing = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (failure == null && !load.clientsDone() && System.nanoTime() < finishing) {
                Thread.sleep(200);
            }
            load.stop();
            events.add("load stopped after " + Duration.ofNanos(System.nanoTime() - begin).toSeconds()
                    + " s; clients left with unfinished work: " + ledger.work.size());

            if (failure == null) {
                CrashStore store = settle(node, events);
                audit.checkStore(ledger, store);
                audit.checkApi(ledger, store, staff, identities.operator(), Duration.ofSeconds(30));
                count(counts, ledger, store);
            }
            events.addAll(node.restartNotes().stream().map(n -> "what a restart logged about PostgreSQL, " + n).toList());
        } finally {
            if (Files.exists(work.resolve("node.log"))) {
                Files.copy(work.resolve("node.log"), reports.resolve("node-" + stamp + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            if (!KEEP) {
                deleteRecursively(work);
            }
        }

        counts.put("run seconds", Duration.ofNanos(System.nanoTime() - begin).toSeconds());
        String report = "CrashIT: " + KILLS + " kill(s) of each kind, " + CLIENTS + " clients, " + LOAD_SECONDS
                + " s of load between kills\n" + String.join("\n", events) + "\ncounted: " + counts + "\nviolations:\n"
                + (failure != null ? "(not audited: " + failure + ")" : audit.full()) + "\n";
        Path reportFile = reports.resolve("report-" + stamp + ".txt");
        Files.writeString(reportFile, report);
        System.out.println(report);

        assertThat(failure).as("restarts (report " + reportFile + ")").isNull();
        assertThat(audit.clean()).as("CrashIT found violations (full report " + reportFile + "):\n"
                + audit.summary(5) + "\n" + String.join("\n", events) + "\ncounted: " + counts).isTrue();
    }

    /**
     * Waits until nothing in the store is still on its way (every order has its outcome and every consequence of
     * it) and the store has been quiet for a few seconds; or until nothing at all has been stored for longer than
     * the sagas' stage deadlines (30 s) and retries (what is still "on its way" then never arrives); or until
     * {@code orderly.crash.settleSeconds} pass.
     */
    private static CrashStore settle(CrashNode node, List<String> events) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
        long quietSince = System.nanoTime();
        long lastIndex = -1;
        try (Connection connection = node.eventStore()) {
            while (true) {
                CrashStore store = CrashStore.read(connection);
                List<String> moving = CrashAudit.inProgress(store);
                if (store.lastIndex != lastIndex) {
                    lastIndex = store.lastIndex;
                    quietSince = System.nanoTime();
                }
                Duration quiet = Duration.ofNanos(System.nanoTime() - quietSince);
                if (moving.isEmpty() && quiet.toSeconds() >= 3 || quiet.toSeconds() >= 40 || System.nanoTime() > deadline) {
                    events.add("settled in " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s"
                            + (moving.isEmpty() ? "" : "; still unfinished (nothing stored for " + quiet.toSeconds()
                            + " s): " + moving.size() + ", e.g. " + moving.subList(0, Math.min(5, moving.size()))));
                    return store;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static void count(Map<String, Object> counts, CrashLedger ledger, CrashStore store) {
        counts.put("orders acknowledged", ledger.orders.size());
        counts.put("orders in the store", store.orders.size());
        counts.put("placements without answer", ledger.placementsInDoubt.get());
        counts.put("placements refused (503/422)", ledger.placementsRefused.get());
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        store.orders.values().forEach(o -> byStatus.merge(o.status(), 1L, Long::sum));
        counts.put("orders by status in the store", byStatus);
        Map<String, Long> fates = new java.util.TreeMap<>();
        for (CrashLedger.Fate fate : CrashLedger.Fate.values()) {
            fates.put(fate.name(), ledger.count(fate));
        }
        counts.put("orders by client intent", fates);
        counts.put("cancellations acknowledged", ledger.orders.values().stream().filter(o -> o.cancel.acknowledged).count());
        counts.put("dispatches acknowledged", ledger.orders.values().stream().filter(o -> o.dispatch.acknowledged).count());
        counts.put("deliveries acknowledged", ledger.orders.values().stream().filter(o -> o.delivery.acknowledged).count());
        counts.put("returns acknowledged", ledger.orders.values().stream().mapToInt(o -> o.returnIds.size()).sum());
        counts.put("return receipts acknowledged",
                ledger.orders.values().stream().mapToInt(o -> o.receivedReturnIds.size()).sum());
        counts.put("returns in the store", store.returns.size());
        counts.put("registrations acknowledged", ledger.registrations.size());
        counts.put("registrations without answer", ledger.registrationsInDoubt.get());
        counts.put("registrations in the store", store.customers.size());
        counts.put("requests", ledger.requests.get());
        counts.put("requests without answer", ledger.failedRequests.get());
        counts.put("events in the store (without workflow updates)", store.events);
        counts.put("answers", new java.util.TreeMap<>(ledger.answers));
    }

    /** The jar {@code spring-boot-maven-plugin} repackaged in {@code package}: Failsafe names it, else the newest. */
    private static Path appJar() throws IOException {
        String named = System.getProperty("orderly.app.jar");
        if (named != null && Files.isRegularFile(Path.of(named))) {
            return Path.of(named);
        }
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("app-.*\\.jar"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("No app jar in target/: run the package phase first"));
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("could not delete " + root + ": " + e);
        }
    }
}
