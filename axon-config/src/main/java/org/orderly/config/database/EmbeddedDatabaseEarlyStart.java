package org.orderly.config.database;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Starts the embedded PostgreSQL as soon as the configuration is known, on a thread of its own, so that
 * {@code initdb} and the server's start overlap the seconds Spring spends building the context before the
 * first bean needs the database; {@link EmbeddedPostgresServer#start} then takes the server that is
 * starting instead of starting one. Nothing changes for an external database. It waits for the context's
 * initializers, which may still set the database (tests do). A server the application did not take by the
 * time it is ready, or has failed, is stopped here.
 */
public class EmbeddedDatabaseEarlyStart implements ApplicationListener<SpringApplicationEvent> {

    private static final Map<Path, CompletableFuture<EmbeddedPostgresServer>> STARTING = new ConcurrentHashMap<>();
    private static final Map<SpringApplication, Path> STARTED_FOR = new ConcurrentHashMap<>();

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationContextInitializedEvent initialized) {
            DatabaseProperties database = Binder.get(initialized.getApplicationContext().getEnvironment())
                    .bindOrCreate("orderly.database", DatabaseProperties.class);
            if (!database.isExternal()) {
                DatabaseProperties.Embedded embedded = database.embedded();
                STARTED_FOR.put(event.getSpringApplication(), key(embedded));
                STARTING.computeIfAbsent(key(embedded), path -> CompletableFuture.supplyAsync(
                        () -> EmbeddedPostgresServer.launch(embedded),
                        task -> {
                            Thread thread = new Thread(task, "orderly-embedded-postgres");
                            thread.setDaemon(true);
                            thread.start();
                        }));
            }
        } else if (event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) {
            Path started = STARTED_FOR.remove(event.getSpringApplication());
            CompletableFuture<EmbeddedPostgresServer> untaken = started == null ? null : STARTING.remove(started);
            if (untaken != null) {
                untaken.thenAccept(EmbeddedPostgresServer::close);
            }
        }
    }

    /** The server being started for these settings, if this listener started one; it is then no longer held here. */
    static EmbeddedPostgresServer take(DatabaseProperties.Embedded settings) {
        CompletableFuture<EmbeddedPostgresServer> starting = STARTING.remove(key(settings));
        if (starting == null) {
            return null;
        }
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Path key(DatabaseProperties.Embedded settings) {
        return settings.dataDirectory().toAbsolutePath().normalize();
    }
}
