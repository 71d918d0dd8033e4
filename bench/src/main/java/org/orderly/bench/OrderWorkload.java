package org.orderly.bench;

import java.util.Map;

/**
 * Workload {@code order}: closed-loop order placements by the seeded customers, the orders projection's lag judged
 * at the largest client count and the order saga's backlog (orders still PENDING) sampled beside it. Beyond the
 * first client count the placements outrun the saga many times, and the backlog they leave takes it tens of
 * minutes: those runs come last, after every workload that needs a quiet saga or every processor at the head.
 */
record OrderWorkload(Settings settings, Orderly orderly) {

    /** One closed-loop run into {@code commands} ({@code order-<clients>}); returns its throughput per second. */
    double run(Map<String, Object> commands, int clients) throws InterruptedException {
        ReadModels readModels = orderly.readModels();
        Map<String, Object> orders = CommandLoad.run(settings, "order placements", clients, orderly.shop()::placeOrder,
                orderly.subject(null), "orders", () -> readModels.projectionLag("orders", "orders"),
                readModels::pendingOrders, clients == settings.maxClients() ? () -> readModels.drain("orders", "orders")
                        : null);
        commands.put("order-" + clients, orders);
        return (double) orders.get("throughputPerSecond");
    }
}
