package org.orderly.bench;

import java.util.Map;

/**
 * Workload {@code register}: closed-loop customer registrations by staff at each client count, the customers
 * projection's lag judged at the largest; then, unless {@code bench.skipSustained}, the highest open-loop rate at
 * which every read model a registration feeds keeps up. A closed loop measures what the command side accepts,
 * whatever the read side does; the sustained rate is what the whole flow keeps up with.
 */
record RegistrationWorkload(Settings settings, Orderly orderly) {

    /**
     * @param closedLoopMaximum the highest closed-loop throughput, per second
     * @param sustained         the sustained-rate probes, {@code null} if skipped
     */
    record Result(double closedLoopMaximum, Map<String, Object> sustained) {
        /** The highest rate kept up with; 0 if not probed. */
        double maxSustained() {
            return sustained == null ? 0 : (double) sustained.get("maxSustainedPerSecond");
        }
    }

    /** Runs the closed loops into {@code commands} ({@code register-<clients>}) and the sustained-rate probes. */
    Result run(Map<String, Object> commands) throws InterruptedException {
        double maxRegistrations = 0;
        for (int clients : settings.clients()) {
            Map<String, Object> registration = CommandLoad.run(settings, "customer registrations", clients,
                    orderly.shop()::register, orderly.subject(orderly.readModels()::registrationBacklog), "customers",
                    () -> orderly.readModels().projectionLag("customer", "customers"), null,
                    clients == settings.maxClients() ? () -> orderly.readModels().drain("customer", "customers") : null);
            maxRegistrations = Math.max(maxRegistrations, (double) registration.get("throughputPerSecond"));
            commands.put("register-" + clients, registration);
        }
        Map<String, Object> sustained = null;
        if (!settings.skipSustained()) {
            ReadModels readModels = orderly.readModels();
            sustained = SustainedRate.probe("Orderly registrations, read models current", maxRegistrations,
                    maxRegistrations, settings.probeSeconds(), orderly.shop()::register, readModels::registrationBacklog,
                    () -> ReadModels.awaitBacklog(readModels::registrationBacklog, 300));
        }
        return new Result(maxRegistrations, sustained);
    }
}
