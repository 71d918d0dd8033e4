package org.orderly.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

/**
 * Workload {@code fulfilment}: placement to CONFIRMED at half the maximum sustained load, the highest placement rate
 * the order saga keeps up with ({@link SustainedRate}, from the closed-loop placement maximum, else 100/s, down; the
 * saga's backlog being the orders still PENDING). The closed-loop placement maximum outruns the saga, whose backlog
 * then grows. {@code bench.fulfilmentRate}, when set, fixes the rate instead (not judged then).
 * <p>
 * Open-loop order placements at that rate: a ticker hands each placement, at its scheduled time, to a pool large
 * enough that no placement waits for an earlier one. The figure judged is taken from every order's own history
 * once the run is over: CONFIRMED's time stamp (the moment the order aggregate stored its confirmation) minus the
 * wall-clock time the placement was scheduled (same machine, same clock; a backlog in the harness counts against
 * Orderly rather than hiding). Reading each order once, after the run, costs Orderly nothing while it works, where
 * polling every order would send it more GETs than orders, whose CPU the orders need. So only one order in
 * {@code bench.fulfilmentPollEvery} is polled, every {@code bench.pollMillis}, for the time until CONFIRMED shows
 * in the order query endpoint (reported beside it, not judged). Orders still PENDING from earlier workloads are
 * waited for first (up to {@code bench.pendingTimeout}).
 */
record FulfilmentWorkload(Settings settings, Orderly orderly) {

    /** @param closedLoopPlacements the first order run's throughput per second, 0 if it did not run */
    Map<String, Object> run(double closedLoopPlacements) throws InterruptedException {
        Double fixedRate = settings.fulfilment().fixedRate();
        Map<String, Object> sustained = fixedRate == null
                ? sustainedOrderRate(closedLoopPlacements > 0 ? closedLoopPlacements : 100) : null;
        boolean found = sustained != null && (double) sustained.get("maxSustainedPerSecond") > 0;
        Map<String, Object> fulfilment = measure(found ? (double) sustained.get("maxSustainedPerSecond") / 2
                : fixedRate != null ? fixedRate : Settings.Fulfilment.DEFAULT_RATE);
        fulfilment.put("halfOfMeasuredMaximum", found);
        fulfilment.put("sustainedOrderRate", sustained);
        return fulfilment;
    }

    private Map<String, Object> sustainedOrderRate(double upper) throws InterruptedException {
        ReadModels readModels = orderly.readModels();
        readModels.awaitNoPendingOrders();
        return SustainedRate.probe("order saga", upper, upper / 2, settings.probeSeconds(),
                orderly.shop()::placeOrder, readModels::pendingOrders, readModels::awaitNoPendingOrders);
    }

    private Map<String, Object> measure(double rate) throws InterruptedException {
        ReadModels readModels = orderly.readModels();
        OrderlyClient client = orderly.client();
        Duration duration = settings.duration();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pendingOrdersBefore", readModels.awaitNoPendingOrders());
        Histogram byHistory = Load.histogram();
        Histogram seen = Load.histogram();
        long pollMillis = settings.fulfilment().pollMillis();
        int pollEvery = settings.fulfilment().pollEvery();
        AtomicLong maxSendLateMicros = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        record Placed(String orderId, Instant scheduledAt) {
        }
        Queue<Placed> placed = new ConcurrentLinkedQueue<>();
        long measureFrom = System.nanoTime() + settings.warmup().toNanos();
        long measureTo = measureFrom + duration.toNanos();
        Load.openLoop(rate, measureTo, 45, scheduled -> {
            Instant scheduledAt = Instant.now().plusNanos(scheduled - System.nanoTime());
            boolean measured = scheduled >= measureFrom;
            maxSendLateMicros.accumulateAndGet(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled), Math::max);
            Response created = orderly.shop().placeOrder();
            if (!measured) {
                return;
            }
            if (created.status() / 100 != 2) {
                refused.incrementAndGet();
                return;
            }
            String id = created.json().get("orderId").asText();
            placed.add(new Placed(id, scheduledAt));
            if (sequence.incrementAndGet() % pollEvery != 0) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> order = client.get("/api/orders/" + id);
                String status = order.statusCode() == 200 ? statusOf(order.body()) : "";
                if ("CONFIRMED".equals(status)) {
                    Load.record(seen, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - scheduled));
                    return;
                }
                if (!status.isEmpty() && !"PENDING".equals(status)) {
                    return; // rejected or cancelled: counted from its history below
                }
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // Orders still PENDING get 30 s more; then every order is read once.
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (readModels.pendingOrders() > 0 && System.nanoTime() < settleUntil) {
            Thread.sleep(200);
        }
        long confirmed = 0;
        long rejected = 0;
        long notConfirmed = 0;
        String lastNotConfirmed = null;
        for (Placed order : placed) {
            HttpResponse<String> read = client.get("/api/orders/" + order.orderId());
            String status = read.statusCode() == 200 ? statusOf(read.body()) : "";
            Instant confirmedAt = confirmedAt(read.body());
            if (confirmedAt != null) {
                confirmed++;
                Load.record(byHistory, Duration.between(order.scheduledAt(), confirmedAt).toNanos() / 1000);
            } else if ("REJECTED".equals(status) || "CANCELLED".equals(status)) {
                rejected++;
            } else {
                notConfirmed++;
                lastNotConfirmed = read.statusCode() + " " + read.body();
            }
        }
        result.put("targetRatePerSecond", Math.round(rate));
        result.put("placedPerSecond", Math.round(placed.size() / (duration.toMillis() / 1000.0) * 10) / 10.0);
        result.put("maxSendLateMs", TimeUnit.MICROSECONDS.toMillis(maxSendLateMicros.get()));
        result.put("confirmed", confirmed);
        result.put("refused", refused.get());
        result.put("rejectedOrCancelled", rejected);
        result.put("notConfirmedWithin30sAfterTheRun", notConfirmed);
        if (lastNotConfirmed != null) {
            result.put("lastNotConfirmed", lastNotConfirmed);
            System.out.println("an order not confirmed: " + lastNotConfirmed);
        }
        result.putAll(Load.percentiles(byHistory));
        Map<String, Object> seenInReadModel = new LinkedHashMap<>();
        seenInReadModel.put("sampledOneIn", pollEvery);
        seenInReadModel.put("pollMillis", pollMillis);
        seenInReadModel.put("samples", seen.getTotalCount());
        seenInReadModel.putAll(Load.percentiles(seen));
        result.put("seenInOrderQueryEndpoint", seenInReadModel);
        result.put("pendingOrdersAfter", readModels.pendingOrders());
        System.out.printf("fulfilment at %.0f/s: placement -> CONFIRMED by the order's history p50 %.1f ms  p99 %.1f ms; "
                        + "seen in the query endpoint (1 in %d) p50 %.1f ms  p99 %.1f ms (%d confirmed, %d refused, "
                        + "%d rejected, %d not confirmed)%n", rate,
                (double) result.get("p50Ms"), (double) result.get("p99Ms"), pollEvery,
                (double) seenInReadModel.get("p50Ms"), (double) seenInReadModel.get("p99Ms"),
                confirmed, refused.get(), rejected, notConfirmed);
        return result;
    }

    private static Instant confirmedAt(String orderJson) {
        try {
            for (JsonNode change : Http.JSON.readTree(orderJson).path("history")) {
                if ("CONFIRMED".equals(change.path("status").asText())) {
                    return Instant.parse(change.path("at").asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no history to go by
        }
        return null;
    }

    private static String statusOf(String orderJson) {
        try {
            return Http.JSON.readTree(orderJson).path("status").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
