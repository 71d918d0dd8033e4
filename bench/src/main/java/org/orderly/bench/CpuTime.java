package org.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from {@code /proc} (Linux only): of the application under load, of its PostgreSQL server, of this
 * harness, and of the whole machine. Two snapshots around a measured run give the CPU each one spent per
 * operation — what a throughput ratio between Orderly and the peer comes down to when both saturate the same
 * cores.
 */
record CpuTime(long appTicks, long postgresTicks, long harnessTicks, long machineBusyTicks, long machineTotalTicks) {

    /** USER_HZ: 100 on every Linux this runs on; /proc reports in these ticks. */
    private static final double MS_PER_TICK = 10.0;

    /**
     * The application {@code app} (its own process, not its descendants) and the PostgreSQL server whose postmaster is
     * {@code postmaster}, with its backends and the backends that ended. Only that server: other PostgreSQL servers
     * on the machine (a build's tests, say) are not part of the system measured.
     */
    static CpuTime now(Process app, ProcessHandle postmaster) {
        if (!Files.isReadable(Path.of("/proc/stat")) || postmaster == null) {
            return null;
        }
        try {
            return withMachine(ticks(Path.of("/proc", Long.toString(app.pid()))), serverTicks(postmaster));
        } catch (IOException | RuntimeException unreadable) {
            return null; // a process ended between listing and reading, or no /proc: no CPU figures this run
        }
    }

    /** A postmaster's CPU, with its live backends' and (through its children's times) the ended ones'. */
    private static long serverTicks(ProcessHandle postmaster) throws IOException {
        Path server = Path.of("/proc", Long.toString(postmaster.pid()));
        long postgres = ticks(server) + childTicks(server);
        for (ProcessHandle backend : postmaster.children().toList()) {
            postgres += ticksIfAlive(backend);
        }
        return postgres;
    }

    /**
     * The same for a system of several processes: every process of {@code apps} with its descendants (the nodes
     * of a cluster), and one PostgreSQL server only, {@code postmaster} with its backends and the backends that
     * ended (not every PostgreSQL on the machine: another server beside it is not part of the system measured).
     */
    static CpuTime of(java.util.List<ProcessHandle> apps, ProcessHandle postmaster) {
        if (!Files.isReadable(Path.of("/proc/stat"))) {
            return null;
        }
        try {
            long app = 0;
            for (ProcessHandle handle : apps) {
                app += treeTicks(handle);
            }
            return withMachine(app, serverTicks(postmaster));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static long treeTicks(ProcessHandle root) throws IOException {
        long sum = ticks(Path.of("/proc", Long.toString(root.pid())));
        for (ProcessHandle descendant : root.descendants().toList()) {
            sum += ticksIfAlive(descendant);
        }
        return sum;
    }

    /** A backend may end between listing and reading: it then counts in its parent's children's time instead. */
    private static long ticksIfAlive(ProcessHandle process) {
        try {
            return ticks(Path.of("/proc", Long.toString(process.pid())));
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static CpuTime withMachine(long appTicks, long postgresTicks) throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user..steal; guest time is already in user
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
        return new CpuTime(appTicks, postgresTicks, ticks(Path.of("/proc/self")), total - idle, total);
    }

    /** CPU milliseconds per operation between {@code before} and {@code after}, and how busy the machine was. */
    static Map<String, Object> perOperation(CpuTime before, CpuTime after, long operations) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (before == null || after == null || operations == 0) {
            return result;
        }
        result.put("appMs", round((after.appTicks - before.appTicks) * MS_PER_TICK / operations));
        result.put("postgresMs", round((after.postgresTicks - before.postgresTicks) * MS_PER_TICK / operations));
        result.put("harnessMs", round((after.harnessTicks - before.harnessTicks) * MS_PER_TICK / operations));
        long total = after.machineTotalTicks - before.machineTotalTicks;
        result.put("machineBusyPercent", total == 0 ? null
                : Math.round(1000.0 * (after.machineBusyTicks - before.machineBusyTicks) / total) / 10.0);
        return result;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim();
        } catch (IOException gone) {
            return "";
        }
    }

    private static long childTicks(Path process) throws IOException {
        String[] fields = fieldsAfterCommand(process);
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    private static String[] fieldsAfterCommand(Path process) throws IOException {
        String stat = Files.readString(process.resolve("stat"));
        // The command name (field 2) may hold spaces; index 0 is field 3.
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long ticks(Path process) throws IOException {
        String[] fields = fieldsAfterCommand(process); // utime and stime are fields 14 and 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
