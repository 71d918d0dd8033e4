package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Actor;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.audit.DataAccessAudit;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What recording costs a read, measured within one run: the same customer record read by staff (recorded) and by
 * the customer themself (not recorded), the same request otherwise, in alternating rounds so that both see the
 * same machine. Prints latencies and throughput; asserts only that every staff read was recorded exactly once.
 * <p>
 * Run alone: {@code ./mvnw -B -q -pl app -am verify -Dit.test=DataAccessAuditCostIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 */
@OrderlyIntegrationTest
class DataAccessAuditCostIT {

    private static final int ROUNDS = 15;
    private static final int READS_PER_ROUND = 200;
    private static final int CONCURRENT_CLIENTS = 4;

    @LocalServerPort
    int port;
    @Autowired
    DataAccessAudit audit;
    @Autowired
    DomainStores stores;
    @Autowired
    MeterRegistry meters;

    @Test
    void everyStaffReadOfACustomerIsRecordedOnceAndNoneOfTheCustomersOwn() throws Exception {
        Identities identities = new Identities(port);
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http staff = identities.staff();
        String path = "/api/customers/" + ada.id();
        assertThat(staff.get(path, "Orderly-Position", ada.position()).status()).isEqualTo(200);
        // warm-up of both paths: JIT, pools, caches
        run(staff, path, 1, 500);
        run(ada.http(), path, 1, 500);

        List<String> report = new ArrayList<>();
        double[][] sequential = new double[2][ROUNDS];
        double[][] concurrent = new double[2][ROUNDS];
        long staffReads = 1 + 500;
        for (int round = 0; round < ROUNDS; round++) {
            // who goes first alternates too, so that neither always follows the other's leftovers
            Http[] order = round % 2 == 0 ? new Http[] {ada.http(), staff} : new Http[] {staff, ada.http()};
            for (Http caller : order) {
                sequential[caller == staff ? 1 : 0][round] = run(caller, path, 1, READS_PER_ROUND);
            }
            for (Http caller : order) {
                concurrent[caller == staff ? 1 : 0][round] = run(caller, path, CONCURRENT_CLIENTS, READS_PER_ROUND);
            }
            staffReads += 2L * READS_PER_ROUND;
        }
        report.add(line("1 client ", sequential));
        report.add(line(CONCURRENT_CLIENTS + " clients", concurrent));
        Timer recording = meters.find("orderly.audit.record").timer();
        if (recording != null) {
            report.add(String.format(Locale.ROOT, "  on the request thread (orderly.audit.record): %d audited requests, "
                            + "mean %.1f us, max %.1f us", recording.count(), recording.mean(TimeUnit.MICROSECONDS),
                    recording.max(TimeUnit.MICROSECONDS)));
        }
        System.out.println("Data-access audit cost, GET " + path.replace(ada.id(), "{customerId}")
                + ", reads/s (own = not recorded, staff = recorded), " + ROUNDS + " rounds of "
                + READS_PER_ROUND + " reads each, alternating:\n" + String.join("\n", report));

        assertThat(audit.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(stores.get("audit").jdbc().queryForObject(
                "SELECT count(*) FROM access_entry WHERE subject_id = ?", Long.class, ada.id())).isEqualTo(staffReads);
    }

    /**
     * The two halves of the cost apart: what recording takes on the request's thread (queuing an entry), and how
     * many entries per second the writer commits behind it. Chunks fit the queue, so none is written inline.
     */
    @Test
    void entriesQueuedInBurstsAreAllWrittenByTheBackgroundWriter() {
        Actor staff = new Actor("staff", Set.of(Actor.Role.STAFF), null);
        String subject = UUID.randomUUID().toString();
        int chunks = 5;
        int chunk = 5000;
        List<String> report = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            long start = System.nanoTime();
            for (int i = 0; i < chunk; i++) {
                audit.record(staff, subject, "GET /api/customers/{customerId}", "200");
            }
            long queued = System.nanoTime();
            assertThat(audit.flush(Duration.ofSeconds(60))).isTrue();
            long written = System.nanoTime();
            report.add(String.format(Locale.ROOT, "  chunk %d: %.2f us to queue an entry, %.0f entries/s written",
                    c, (queued - start) / 1e3 / chunk, chunk / ((written - start) / 1e9)));
        }
        System.out.println("Data-access audit writer, " + chunks + " bursts of " + chunk + " entries:\n"
                + String.join("\n", report));
        assertThat(stores.get("audit").jdbc().queryForObject(
                "SELECT count(*) FROM access_entry WHERE subject_id = ?", Long.class, subject))
                .isEqualTo((long) chunks * chunk);
    }

    /** Medians, and the median of each round's ratio: a round's two halves ran back to back, on the same load. */
    private static String line(String clients, double[][] rates) {
        double[] ratios = new double[rates[0].length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = rates[1][i] / rates[0][i];
        }
        double[] sortedRatios = ratios.clone();
        Arrays.sort(sortedRatios);
        return String.format(Locale.ROOT, "  %s: own %.0f/s, staff %.0f/s; staff/own per round: median %.3f, "
                        + "quartiles %.3f-%.3f", clients, median(rates[0]), median(rates[1]), median(ratios),
                sortedRatios[ratios.length / 4], sortedRatios[3 * ratios.length / 4]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Reads/s of {@code reads} reads by {@code clients} clients sharing them. */
    private static double run(Http http, String path, int clients, int reads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = reads / clients + (c < reads % clients ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        Http.Response response = http.get(path);
                        assertThat(response.status()).as(response.toString()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return reads / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
