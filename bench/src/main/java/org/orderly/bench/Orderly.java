package org.orderly.bench;

/**
 * The all-in-one Orderly the workloads other than {@code cluster} measure: its process and PostgreSQL, the harness's
 * client of it, the seeded shop and its read models' backlogs.
 */
record Orderly(OrderlyProcess process, OrderlyClient client, Shop shop, ReadModels readModels) {

    /**
     * Orderly as a closed loop's subject, with {@code backlog} (or {@code null}) as what its read models have still to
     * handle of the load.
     */
    CommandLoad.Subject subject(java.util.function.LongSupplier backlog) {
        return new CommandLoad.Subject(process.process(), process, Statements.ORDERLY, backlog);
    }
}
