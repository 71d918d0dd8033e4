package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
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

    private static final int ROUNDS = 5;
    private static final int READS_PER_ROUND = 600;
    private static final int CONCURRENT_CLIENTS = 4;

    @LocalServerPort
    int port;
    @Autowired
    DataAccessAudit audit;
    @Autowired
    DomainStores stores;

    @Test
    void everyStaffReadOfACustomerIsRecordedOnceAndNoneOfTheCustomersOwn() throws Exception {
        Identities identities = new Identities(port);
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http staff = identities.staff();
        String path = "/api/customers/" + ada.id();
        assertThat(staff.get(path, "Prefer", "wait=10").status()).isEqualTo(200);
        // warm-up of both paths: JIT, pools, caches
        run(staff, path, 1, 500);
        run(ada.http(), path, 1, 500);

        List<String> report = new ArrayList<>();
        double[][] sequential = new double[2][ROUNDS];
        double[][] concurrent = new double[2][ROUNDS];
        long staffReads = 1 + 500;
        for (int round = 0; round < ROUNDS; round++) {
            sequential[0][round] = run(ada.http(), path, 1, READS_PER_ROUND);
            sequential[1][round] = run(staff, path, 1, READS_PER_ROUND);
            concurrent[0][round] = run(ada.http(), path, CONCURRENT_CLIENTS, READS_PER_ROUND);
            concurrent[1][round] = run(staff, path, CONCURRENT_CLIENTS, READS_PER_ROUND);
            staffReads += 2L * READS_PER_ROUND;
        }
        report.add(line("1 client ", sequential));
        report.add(line(CONCURRENT_CLIENTS + " clients", concurrent));
        System.out.println("Data-access audit cost, GET " + path.replace(ada.id(), "{customerId}")
                + ", reads/s (own = not recorded, staff = recorded), " + ROUNDS + " alternating rounds of "
                + READS_PER_ROUND + " reads:\n" + String.join("\n", report));

        assertThat(audit.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(stores.get("audit").jdbc().queryForObject(
                "SELECT count(*) FROM access_entry WHERE subject_id = ?", Long.class, ada.id())).isEqualTo(staffReads);
    }

    private static String line(String clients, double[][] rates) {
        double own = median(rates[0]);
        double recorded = median(rates[1]);
        return String.format(Locale.ROOT, "  %s: own %.0f/s %s, staff %.0f/s %s, staff/own %.3f", clients, own,
                Arrays.toString(round(rates[0])), recorded, Arrays.toString(round(rates[1])), recorded / own);
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
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
