package org.orderly.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What the harness needs of the processes it starts and of the machine it runs on. */
final class Processes {

    private Processes() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} to its end, its output discarded; fails unless it exits 0. */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Failed: " + String.join(" ", command));
        }
    }

    /** Stops {@code process} gracefully, forcibly after {@code seconds}. */
    static void stop(Process process, long seconds) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** Deletes a directory and everything in it; a failure is reported, not thrown. */
    static void deleteTree(Path directory) {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("could not delete " + directory + ": " + e);
        }
    }

    /** The resident set of {@code process} in MB, from {@code /proc}; -1 if not found. */
    static long residentMemoryMb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** The machine, its processor and the JVM, for the report. */
    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", " + runtime.availableProcessors()
                + " cores (" + cpuModel() + "), Java " + System.getProperty("java.version") + ", "
                + ManagementFactory.getOperatingSystemMXBean().getName();
    }

    /** The processor's name as Linux reports it: the same kind of machine has come with different processors. */
    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("processor unknown");
        } catch (IOException | UncheckedIOException e) {
            return "processor unknown";
        }
    }
}
