package org.orderly.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.orderly.testsupport.KeycloakProcess;

/**
 * The identity provider of the cluster workload: Keycloak's distribution (unpacked by the bench module's build
 * into {@code bench/target/keycloak}, or {@code bench.keycloakHome}) in development mode with the realm of
 * {@code docker/keycloak/orderly-realm.json} (or {@code bench.keycloakRealm}), on a JDK 21 or later
 * ({@code KEYCLOAK_JAVA_HOME}, this JVM, or the newest in /usr/lib/jvm). Development mode rebuilds the server at
 * each start: a minute or more on a busy machine, which is why the cluster workload is not run by default.
 * <p>
 * Tokens come from the realm's password grant (client {@code orderly-cli}, as the command-line client gets them),
 * one per person, and are fetched again once half their lifetime has passed, so that a run longer than the
 * realm's access token lifespan keeps working.
 */
final class KeycloakServer implements AutoCloseable {

    private record Token(String value, long renewAtNanos) {
    }

    private final KeycloakProcess keycloak;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private KeycloakServer(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    /** Starts Keycloak on a free port and waits until the realm answers; its output goes to {@code log}. */
    static KeycloakServer start(Settings.Cluster settings, Path log) throws IOException, InterruptedException {
        Path realm = settings.keycloakRealm().toAbsolutePath().normalize();
        long started = System.nanoTime();
        KeycloakServer server = new KeycloakServer(KeycloakProcess.start(home(settings.keycloakHome()), realm, log,
                settings.keycloakStart()));
        System.out.printf("Keycloak ready in %d s (log: %s)%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), log);
        return server;
    }

    /** The realm's issuer URI, as every node's {@code orderly.security.issuer-uri}. */
    String issuer() {
        return keycloak.issuer();
    }

    /** {@code Bearer <access token>} of one of the realm's people, fetched again after half its lifetime. */
    String authorization(String username) {
        Token token = tokens.get(username);
        if (token == null || System.nanoTime() > token.renewAtNanos()) {
            token = tokens.compute(username, (name, current) ->
                    current != null && System.nanoTime() <= current.renewAtNanos() ? current : fetch(name));
        }
        return "Bearer " + token.value();
    }

    private Token fetch(String username) {
        HttpResponse<String> response = keycloak.tokenResponse(username, "orderly-cli");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No token for " + username + ": " + response.statusCode());
        }
        Response answer = new Response(response.statusCode(), response.body(), null);
        long lifetimeSeconds = answer.json().path("expires_in").asLong(60);
        return new Token(answer.json().get("access_token").asText(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds) / 2);
    }

    /** Stops Keycloak's JVM and the script that started it. */
    @Override
    public void close() {
        keycloak.close();
    }

    private static Path home(Path configured) throws IOException {
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        Path unpacked = Path.of("bench/target/keycloak");
        if (Files.isDirectory(unpacked)) {
            try (Stream<Path> homes = Files.list(unpacked)) {
                Optional<Path> home = homes.filter(dir -> Files.isRegularFile(dir.resolve("bin/kc.sh"))).findFirst();
                if (home.isPresent()) {
                    return home.get().toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("No Keycloak distribution in " + unpacked.toAbsolutePath() + ": the bench "
                + "module's package phase unpacks org.keycloak:keycloak-quarkus-dist there (or set bench.keycloakHome)");
    }

}
