package org.orderly.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

/**
 * Workload {@code checkout}: a customer's whole checkout, as a shop's front end drives it: open the cart, add three
 * lines, start a checkout session, choose the shipping and billing address and the shipping method, confirm, and
 * wait until the order shows CONFIRMED in the order query endpoint.
 * <p>
 * A customer has one active cart, and it stays theirs until the order is confirmed (then it is CHECKED_OUT): so each
 * flow borrows a customer of its own from a pool ({@code bench.checkoutCustomers}, at least the largest client
 * count, each with a login, an address and a credit limit far beyond the run) and gives it back once its order is
 * CONFIRMED. A 503 (a copy still catching up: the cart domain's copy of a cart or of the catalog, the address book,
 * the order domain's copies) is retried every {@code bench.pollMillis} for up to 30 s, as a front end would.
 * <p>
 * Closed loops at each client count ({@code checkout-<clients>} among the closed loops): checkouts per second and
 * the latency of the whole flow (first request to CONFIRMED seen); beside them the confirmation call's latency, and
 * the time from confirm to CONFIRMED twice, as {@link FulfilmentWorkload} takes it: by the order's own history
 * (CONFIRMED's time stamp minus the moment the confirmation was sent; judged nowhere, reported) and as seen in the
 * order query endpoint. Then the highest checkout rate Orderly keeps up with ({@link SustainedRate}, from half the
 * closed-loop maximum: open-loop checkouts, each done once its confirmation is answered, the order saga's backlog
 * being the orders still PENDING), unless {@code bench.skipSustained}. A closed loop waits for CONFIRMED before the
 * buyer's next cart, so its throughput includes the saga; the open loop does not wait, so the probe asks of the saga
 * what a shop's customers would.
 */
record CheckoutWorkload(Settings settings, Orderly orderly) {

    private static final String ADDRESS = """
            {"recipientName": "Bench Buyer", "line1": "1 Load Street", "postalCode": "10115", "city": "Berlin",
             "country": "DE"}""";

    /** A customer who checks out, with the address they ship and bill to. */
    private record Buyer(String id, String authorization, String addressId, AtomicReference<String> checkedOut) {
    }

    /** One flow's times, in microseconds: the confirmation call, confirm to CONFIRMED by history and as seen. */
    private record Times(long confirmMicros, long byHistoryMicros, long seenMicros) {
    }

    /** The flow failed: why, with the HTTP answer that ended it. */
    private static final class FlowFailed extends RuntimeException {
        final int status;

        FlowFailed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    Map<String, Object> run(Map<String, Object> commands) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        BlockingQueue<Buyer> buyers = new LinkedBlockingQueue<>(seedBuyers(
                Math.max(settings.maxClients(), settings.checkoutCustomers())));
        result.put("customers", buyers.size());
        result.put("pendingOrdersBefore", orderly.readModels().awaitNoPendingOrders());
        double maximum = 0;
        Map<String, Object> runs = new LinkedHashMap<>();
        for (int clients : settings.clients()) {
            Map<String, Object> run = closedLoop(buyers, clients);
            commands.put("checkout-" + clients, run);
            runs.put(String.valueOf(clients), run);
            maximum = Math.max(maximum, (double) run.get("throughputPerSecond"));
        }
        result.put("closedLoops", runs);
        if (!settings.skipSustained() && maximum > 0) {
            ReadModels readModels = orderly.readModels();
            readModels.awaitNoPendingOrders();
            ExecutorService waiters = Executors.newCachedThreadPool();
            try {
                result.put("sustainedCheckoutRate", SustainedRate.probe("checkout", maximum, maximum / 2,
                        settings.probeSeconds(), () -> confirmWithAFreeBuyer(buyers, waiters),
                        readModels::pendingOrders, readModels::awaitNoPendingOrders));
            } finally {
                waiters.shutdown();
                waiters.awaitTermination(60, TimeUnit.SECONDS);
            }
        }
        result.put("pendingOrdersAfter", orderly.readModels().pendingOrders());
        return result;
    }

    private Map<String, Object> closedLoop(BlockingQueue<Buyer> buyers, int clients) throws InterruptedException {
        Histogram confirmation = Load.histogram();
        Histogram byHistory = Load.histogram();
        Histogram seen = Load.histogram();
        // Load.closedLoop measures from the warm-up's end for the duration: flows started before then, or done
        // after, stay out of these histograms too.
        long measureFrom = System.nanoTime() + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.duration().toNanos();
        Supplier<Response> flow = () -> {
            long started = System.nanoTime();
            return flowWithAFreeBuyer(buyers, times -> {
                if (started >= measureFrom && System.nanoTime() <= measureTo) {
                    Load.record(confirmation, times.confirmMicros());
                    Load.record(byHistory, times.byHistoryMicros());
                    Load.record(seen, times.seenMicros());
                }
            });
        };
        ReadModels readModels = orderly.readModels();
        Map<String, Object> run = CommandLoad.run(settings, "checkouts", clients, flow, orderly.subject(null), "orders", () -> readModels.projectionLag("orders", "orders"), readModels::pendingOrders, null);
        run.put("confirmationCall", Load.percentiles(confirmation));
        Map<String, Object> toConfirmed = new LinkedHashMap<>(Load.percentiles(byHistory));
        toConfirmed.put("p95Ms", p95(byHistory));
        run.put("confirmToConfirmedByHistory", toConfirmed);
        Map<String, Object> toSeen = new LinkedHashMap<>(Load.percentiles(seen));
        toSeen.put("p95Ms", p95(seen));
        toSeen.put("pollMillis", settings.fulfilment().pollMillis());
        run.put("confirmToConfirmedSeenInOrderQueryEndpoint", toSeen);
        System.out.printf("checkout %3d clients: confirmation call p50 %.1f ms p99 %.1f ms; confirm -> CONFIRMED by "
                        + "history p50 %.1f ms p95 %.1f ms p99 %.1f ms; seen in the query endpoint p50 %.1f ms p99 %.1f ms%n",
                clients, Report.number(run.get("confirmationCall"), "p50Ms"),
                Report.number(run.get("confirmationCall"), "p99Ms"),
                (double) toConfirmed.get("p50Ms"), (double) toConfirmed.get("p95Ms"), (double) toConfirmed.get("p99Ms"),
                (double) toSeen.get("p50Ms"), (double) toSeen.get("p99Ms"));
        return run;
    }

    /**
     * The closed loop's checkout, to CONFIRMED, by a buyer taken from the pool; the buyer goes back once the flow is
     * over, whatever its outcome.
     */
    private Response flowWithAFreeBuyer(BlockingQueue<Buyer> buyers, Consumer<Times> measured) {
        Buyer buyer = buyers.poll();
        if (buyer == null) {
            return new Response(429, "no customer free to check out", null);
        }
        try {
            measured.accept(awaitConfirmed(buyer, confirm(buyer)));
            return new Response(200, "", null);
        } catch (FlowFailed e) {
            return new Response(e.status, e.getMessage(), null);
        } finally {
            buyers.add(buyer);
        }
    }

    /**
     * The open loop's checkout: answered once the confirmation is (202), as the customer sees it; the buyer goes back
     * to the pool once the order is CONFIRMED (or failed), waited for on {@code waiters} meanwhile. The order saga's
     * keeping up is the backlog the probe judges.
     */
    private Response confirmWithAFreeBuyer(BlockingQueue<Buyer> buyers, ExecutorService waiters) {
        Buyer buyer = buyers.poll();
        if (buyer == null) {
            return new Response(429, "no customer free to check out", null);
        }
        Placed placed;
        try {
            placed = confirm(buyer);
        } catch (FlowFailed e) {
            buyers.add(buyer);
            return new Response(e.status, e.getMessage(), null);
        }
        waiters.execute(() -> {
            try {
                awaitConfirmed(buyer, placed);
            } catch (FlowFailed e) {
                // the buyer's cart is reused, or waited for, by its next checkout
            } finally {
                buyers.add(buyer);
            }
        });
        return new Response(202, "", null);
    }

    /** A confirmed checkout: its cart and order, and when the confirmation was sent (wall clock and nanoTime). */
    private record Placed(String cartId, String orderId, Instant sentAt, long sentNanos, long confirmMicros) {
    }

    /** Opens the cart, adds three lines, starts the checkout, chooses addresses and shipping, and confirms. */
    private Placed confirm(Buyer buyer) {
        OrderlyClient client = orderly.client();
        String cartId = openCart(buyer);
        List<String> products = orderly.shop().products();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(products.size());
        for (int i = 0; i < 3; i++) {
            // three different products, one to three units each
            String line = "{\"productId\": \"" + products.get((first + i * 7) % products.size())
                    + "\", \"quantity\": " + (1 + i) + "}";
            retrying(() -> client.post("/api/carts/" + cartId + "/lines", line, buyer.authorization()), 204,
                    "add a line");
        }
        String checkoutId = retrying(() -> client.post("/api/checkouts", "{\"cartId\": \"" + cartId + "\"}",
                buyer.authorization()), 201, "start the checkout").json().get("checkoutId").asText();
        String session = "/api/checkouts/" + checkoutId;
        String address = "{\"addressId\": \"" + buyer.addressId() + "\"}";
        retrying(() -> client.put(session + "/shipping-address", address, buyer.authorization()), 204,
                "choose the shipping address");
        retrying(() -> client.put(session + "/billing-address", address, buyer.authorization()), 204,
                "choose the billing address");
        retrying(() -> client.put(session + "/shipping-method", "{\"method\": \"STANDARD\"}", buyer.authorization()),
                204, "choose the shipping method");
        Instant confirmedAtClock = Instant.now();
        long confirming = System.nanoTime();
        String orderId = retrying(() -> client.post(session + "/confirmation", "", buyer.authorization()), 202,
                "confirm").json().get("orderId").asText();
        return new Placed(cartId, orderId, confirmedAtClock, confirming,
                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - confirming));
    }

    /** Polls the order until CONFIRMED (the buyer's cart is then checked out); the times since it was confirmed. */
    private Times awaitConfirmed(Buyer buyer, Placed placed) {
        OrderlyClient client = orderly.client();
        String orderId = placed.orderId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> order = client.get("/api/orders/" + orderId);
            if (order.statusCode() == 200) {
                JsonNode json = json(order.body());
                String status = json.path("status").asText("");
                if ("CONFIRMED".equals(status)) {
                    buyer.checkedOut().set(placed.cartId());
                    long seenMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - placed.sentNanos());
                    Instant confirmedAt = confirmedAt(json);
                    long byHistory = confirmedAt == null ? seenMicros
                            : Duration.between(placed.sentAt(), confirmedAt).toNanos() / 1000;
                    return new Times(placed.confirmMicros(), byHistory, seenMicros);
                }
                if (!status.isEmpty() && !"PENDING".equals(status)) {
                    throw new FlowFailed(409, "order " + orderId + " " + status);
                }
            }
            pause();
        }
        throw new FlowFailed(504, "order " + orderId + " not CONFIRMED within 30 s");
    }

    /**
     * The buyer's active cart. Until the cart domain has recorded their last cart as CHECKED_OUT it answers that one
     * again, which would refuse lines: a fresh one is waited for instead.
     */
    private String openCart(Buyer buyer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Response opened = retrying(() -> orderly.client().post("/api/carts", "", buyer.authorization()), -1,
                    "open the cart");
            if (opened.status() != 200 && opened.status() != 201) {
                throw new FlowFailed(opened.status(), "open the cart: " + opened.body());
            }
            String cartId = opened.json().get("cartId").asText();
            if (!cartId.equals(buyer.checkedOut().get())) {
                return cartId;
            }
            if (System.nanoTime() > deadline) {
                throw new FlowFailed(409, "cart " + cartId + " still active 30 s after its order was confirmed");
            }
            pause();
        }
    }

    /** Sends until the answer is not a 503; fails unless it is {@code expected} (any status when -1). */
    private Response retrying(Supplier<Response> request, int expected, String step) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Response response = request.get();
        while (response.status() == 503 && System.nanoTime() < deadline) {
            pause();
            response = request.get();
        }
        if (expected != -1 && response.status() != expected) {
            throw new FlowFailed(response.status(), step + ": " + response.status() + " " + response.body());
        }
        return response;
    }

    private void pause() {
        try {
            Thread.sleep(settings.fulfilment().pollMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowFailed(-1, "interrupted");
        }
    }

    /** Customers with a login, a credit limit far beyond the run and an address in their address book. */
    private List<Buyer> seedBuyers(int count) throws InterruptedException {
        OrderlyClient client = orderly.client();
        String password = orderly.shop().customerPassword();
        List<Buyer> buyers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "checkout-" + UUID.randomUUID() + "@example.com";
            String id = client.post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"Checkout\", "
                    + "\"password\": \"" + password + "\", \"creditLimit\": {\"amount\": \"900000000\", "
                    + "\"currency\": \"EUR\"}}").expect(201).json().get("customerId").asText();
            String authorization = "Bearer " + client.token(email, password);
            String path = "/api/customers/" + id + "/addresses";
            String addressId = retrying(() -> client.post(path, ADDRESS, authorization), 201, "add an address")
                    .json().get("addressId").asText();
            buyers.add(new Buyer(id, authorization, addressId, new AtomicReference<>()));
        }
        for (Buyer buyer : buyers) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.getWith("/api/customers/" + buyer.id() + "/addresses/" + buyer.addressId(),
                    "Authorization", buyer.authorization()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("address " + buyer.addressId() + " never showed");
                }
                Thread.sleep(10);
            }
        }
        return buyers;
    }

    private static double p95(Histogram histogram) {
        return Math.round(histogram.getValueAtPercentile(95.0) / 100.0) / 10.0;
    }

    private static Instant confirmedAt(JsonNode order) {
        for (JsonNode change : order.path("history")) {
            if ("CONFIRMED".equals(change.path("status").asText())) {
                try {
                    return Instant.parse(change.path("at").asText());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static JsonNode json(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            return Http.JSON.createObjectNode();
        }
    }
}
