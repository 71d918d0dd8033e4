package org.orderly.bench;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * Workload {@code freshness}: open-loop registrations at half the maximum sustained registration rate of the run
 * (else half the closed-loop maximum, else 100/s; {@code bench.freshnessRate} fixes it, and is not judged then), each
 * timed from its 2xx to the GET that shows it. The sustained rate is the highest at which every read model a
 * registration feeds keeps up: a closed loop's maximum is what the command side accepts while its read models fall
 * behind, so half of it is more than half load. It runs before the order runs, whose saga backlog would still be
 * working beside it.
 * <p>
 * The ticker hands each registration at its time to a thread of its own, so a slow read never holds back the next
 * registration. One registration in {@code bench.freshnessReadEvery} is followed by one read that sends back the
 * registration's {@code Orderly-Position}: Orderly answers it when the customers projection has passed that position,
 * so the time is exact to a few tens of milliseconds without polling. Polling sent Orderly more GETs than
 * registrations, and reading after every registration added a read per registration to the half load being measured.
 */
record FreshnessWorkload(Settings settings, Orderly orderly) {

    private static final Pattern EVENT_AGE = Pattern.compile("orderly_processor_event_age_seconds\\{(.*)\\} (\\S+)");
    private static final Pattern STAGE = Pattern.compile("stage=\"(\\w+)\"");
    private static final Pattern QUANTILE = Pattern.compile("quantile=\"([0-9.]+)\"");

    /**
     * @param registrations the registration workload's figures, {@code null} if it did not run
     */
    Map<String, Object> run(RegistrationWorkload.Result registrations) throws InterruptedException {
        Double fixedRate = settings.freshness().fixedRate();
        double maximum = registrations == null ? 0 : registrations.closedLoopMaximum();
        double sustained = registrations == null ? 0 : registrations.maxSustained();
        double half = fixedRate != null ? fixedRate : sustained > 0 ? sustained / 2 : maximum > 0 ? maximum / 2 : 100;
        Map<String, Object> freshness = measure(half);
        freshness.put("halfOfMeasuredMaximum", fixedRate == null && maximum > 0);
        freshness.put("halfOf", fixedRate != null ? "bench.freshnessRate"
                : sustained > 0 ? "maximum sustained registrations"
                : maximum > 0 ? "closed-loop maximum registrations" : "default 100/s");
        return freshness;
    }

    private Map<String, Object> measure(double rate) throws InterruptedException {
        // Half load means half load: the order saga's backlog from the order runs would otherwise still be
        // working beside it (after a full run's placements, for a few hundred seconds).
        Map<String, Object> pendingBefore = orderly.readModels().awaitNoPendingOrders();
        Histogram visible = Load.histogram();
        AtomicLong registered = new AtomicLong();
        AtomicLong notVisible = new AtomicLong();
        AtomicLong maxSendLateMicros = new AtomicLong();
        int readEvery = settings.freshness().readEvery();
        AtomicLong sequence = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long measureFrom = System.nanoTime() + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.duration().toNanos();
        Load.openLoop(rate, measureTo, 30, scheduled -> {
            boolean measured = scheduled >= measureFrom;
            if (measured) {
                maxSendLateMicros.accumulateAndGet(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled),
                        Math::max);
            }
            try {
                Response created = orderly.shop().register();
                long acknowledged = System.nanoTime();
                if (created.status() != 201 || !measured) {
                    failed.addAndGet(measured ? 1 : 0);
                    return;
                }
                registered.incrementAndGet();
                if (sequence.incrementAndGet() % readEvery != 0) {
                    return;
                }
                String id = created.json().get("customerId").asText();
                HttpResponse<String> read = orderly.client().get("/api/customers/" + id, "Orderly-Position",
                        created.position());
                if (read.statusCode() != 200
                        || !"true".equals(read.headers().firstValue("Orderly-Position-Reached").orElse(null))) {
                    notVisible.incrementAndGet();
                    return;
                }
                Load.record(visible, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - acknowledged));
            } catch (RuntimeException e) {
                failed.addAndGet(measured ? 1 : 0);
            }
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetRatePerSecond", Math.round(rate));
        result.put("registeredPerSecond", Math.round(registered.get() / (settings.duration().toNanos() / 1e9)));
        result.put("maxSendLateMs", maxSendLateMicros.get() / 1000.0);
        result.put("notVisibleWithin10s", notVisible.get());
        result.put("failedRegistrations", failed.get());
        result.put("readEvery", readEvery);
        result.put("pendingOrdersBefore", pendingBefore);
        result.put("samples", visible.getTotalCount());
        result.putAll(Load.percentiles(visible));
        // Orderly's own split of the way (orderly.processor.event.age, last minute): waiting to be handled, and
        // handled through commit, for the customers projection the reads wait on.
        Map<String, Object> ages = eventAges("customers");
        result.put("customersEventAgeMs", ages);
        System.out.printf("freshness at %.0f/s (registered %d/s, failed %d; 1 in %d read): p50 %.1f ms  p99 %.1f ms, "
                        + "not visible within 10 s: %d%n", rate, result.get("registeredPerSecond"), failed.get(), readEvery,
                (double) result.get("p50Ms"), (double) result.get("p99Ms"), notVisible.get());
        System.out.println("  customers projection, event age (Orderly's metric, last minute): " + ages);
        return result;
    }

    /** p50/p99 of {@code orderly.processor.event.age} of {@code processor} per stage, in ms, from Prometheus. */
    private Map<String, Object> eventAges(String processor) {
        Map<String, Object> ages = new LinkedHashMap<>();
        Response scrape = orderly.client().opsGet("/actuator/prometheus");
        if (scrape.status() != 200) {
            ages.put("unavailable", scrape.status());
            return ages;
        }
        for (String text : scrape.body().split("\n")) {
            Matcher m = EVENT_AGE.matcher(text);
            if (!m.matches() || !m.group(1).contains("processor=\"" + processor + "\"")) {
                continue;
            }
            Matcher stage = STAGE.matcher(m.group(1));
            Matcher quantile = QUANTILE.matcher(m.group(1));
            if (stage.find() && quantile.find()) {
                String q = quantile.group(1).equals("0.5") ? "p50" : quantile.group(1).equals("0.99") ? "p99" : null;
                if (q != null) {
                    ages.put(stage.group(1) + "-" + q, Math.round(Double.parseDouble(m.group(2)) * 10_000) / 10.0);
                }
            }
        }
        return ages;
    }
}
