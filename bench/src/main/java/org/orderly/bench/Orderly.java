package org.orderly.bench;

/**
 * The all-in-one Orderly the workloads other than {@code cluster} measure: its process and PostgreSQL, the harness's
 * client of it, the seeded shop and its read models' backlogs.
 */
record Orderly(OrderlyProcess process, OrderlyClient client, Shop shop, ReadModels readModels) {
}
