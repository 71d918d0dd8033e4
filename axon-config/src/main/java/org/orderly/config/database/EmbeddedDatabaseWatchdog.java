package org.orderly.config.database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the embedded PostgreSQL running: Orderly started it, so nobody else will start it again when it stops.
 * A thread of its own looks every {@code orderly.database.embedded.watchdog-interval} whether the server's process
 * is alive; once it has ended (killed, crashed, stopped by hand) the watchdog starts it again on the same data
 * directory and port, after {@code restart-delay} and with a doubling wait between failed attempts, logging each.
 * PostgreSQL replays its write-ahead log on that start, so every acknowledged (committed, fsynced) transaction is
 * there again. Nothing else in the application restarts: the pools open new connections as soon as the server
 * answers, and the processors, the deadline scheduler and the notification outbox retry their work on their own.
 * <p>
 * Counted in {@code orderly.database.embedded.restarts} and {@code orderly.database.embedded.restart.failures};
 * {@code orderly.database.embedded.up} is 1 while the process runs. The {@code db} health component shows the
 * same ({@link #details()}). Inert with an external database, whose lifecycle belongs to its operators.
 * <p>
 * It starts before and stops after every other lifecycle, so that the server is watched for as long as anything
 * uses it, and it is no longer watched once the application stops it.
 */
public final class EmbeddedDatabaseWatchdog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseWatchdog.class);

    /** What the watchdog is doing. */
    public enum State { WATCHING, RESTARTING, STOPPED }

    private final EmbeddedPostgresServer server;
    private final DatabaseProperties.Embedded settings;
    private final Clock clock;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile State state = State.STOPPED;
    private volatile Instant lastRestart;
    private volatile Duration lastOutage;
    private volatile Thread thread;

    EmbeddedDatabaseWatchdog(OrderlyDatabase database, DatabaseProperties.Embedded settings, MeterRegistry meters,
                             Clock clock) {
        this.server = database.embeddedServer().orElse(null);
        this.settings = settings;
        this.clock = clock;
        if (server != null && meters != null) {
            meters.more().counter("orderly.database.embedded.restarts", Tags.empty(), restarts);
            meters.more().counter("orderly.database.embedded.restart.failures", Tags.empty(), failures);
            meters.gauge("orderly.database.embedded.up", this, w -> w.server.running() ? 1 : 0);
        }
    }

    /** Whether there is an embedded server to watch. */
    public boolean watches() {
        return server != null;
    }

    public State state() {
        return state;
    }

    /** How often the server was started again since the application started. */
    public long restarts() {
        return restarts.get();
    }

    /** For the {@code db} health component: the server's process, its restarts and the last outage. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("watchdog", state.name());
        details.put("pid", server.pid());
        details.put("port", server.port());
        details.put("running", server.running());
        details.put("restarts", restarts.get());
        details.put("failedRestarts", failures.get());
        if (lastRestart != null) {
            details.put("lastRestart", lastRestart.toString());
            details.put("lastOutageMillis", lastOutage.toMillis());
        }
        return details;
    }

    @Override
    public synchronized void start() {
        if (server == null || thread != null) {
            return;
        }
        state = State.WATCHING;
        Thread watcher = new Thread(this::watch, "orderly-embedded-postgres-watchdog");
        watcher.setDaemon(true);
        thread = watcher;
        watcher.start();
    }

    @Override
    public void stop() {
        Thread watcher;
        synchronized (this) {
            watcher = thread;
            thread = null;
        }
        if (watcher == null) {
            return;
        }
        watcher.interrupt();
        try {
            watcher.join(settings.startupTimeout().toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    private void watch() {
        Thread self = Thread.currentThread();
        try {
            while (thread == self) {
                Thread.sleep(settings.watchdogInterval().toMillis());
                if (!server.running()) {
                    restart(self);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private void restart(Thread self) throws InterruptedException {
        Instant noticed = clock.instant();
        long gone = server.pid();
        state = State.RESTARTING;
        log.warn("Embedded PostgreSQL (pid {}, port {}) has stopped: starting it again on the same data directory",
                gone, server.port());
        Duration delay = settings.restartDelay();
        for (int attempt = 1; thread == self; attempt++) {
            Thread.sleep(delay.toMillis());
            try {
                server.restart();
                restarts.incrementAndGet();
                lastRestart = clock.instant();
                lastOutage = Duration.between(noticed, lastRestart);
                state = State.WATCHING;
                log.warn("Embedded PostgreSQL started again (pid {}, port {}) {} ms after it was found stopped, "
                        + "attempt {}", server.pid(), server.port(), lastOutage.toMillis(), attempt);
                return;
            } catch (RuntimeException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                failures.incrementAndGet();
                delay = min(delay.multipliedBy(2), settings.restartMaxDelay());
                // The first attempts may meet the old server's last backends still exiting: expected, so a warning.
                String message = "Embedded PostgreSQL could not be started again (attempt {}): {}; next attempt in {} ms";
                if (attempt < 3) {
                    log.warn(message, attempt, e.getMessage(), delay.toMillis());
                } else {
                    log.error(message, attempt, e.getMessage(), delay.toMillis());
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
