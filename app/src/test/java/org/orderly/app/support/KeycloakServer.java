package org.orderly.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import org.orderly.testsupport.KeycloakProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integration tests' real Keycloak ({@link KeycloakProcess}): the distribution the build unpacks into
 * {@code target/keycloak}. It takes a minute or two to start on a busy machine, so the tests of one run share one
 * ({@link #shared()}), stopped when the test JVM ends.
 */
public final class KeycloakServer {

    private static final Logger log = LoggerFactory.getLogger(KeycloakServer.class);
    /** Development mode rebuilds Keycloak's server at each start: about 100 s on two busy cores, 30 s on a laptop. */
    private static final Duration KEYCLOAK_START = Duration.ofSeconds(240);

    private static KeycloakServer shared;

    private final KeycloakProcess keycloak;

    private KeycloakServer(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    /** The one Keycloak of this test JVM, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
            Path realm = Path.of(System.getProperty("keycloak.realm", "../docker/keycloak/orderly-realm.json"))
                    .toAbsolutePath().normalize();
            Path logFile = Path.of("target/keycloak.log").toAbsolutePath();
            long started = System.nanoTime();
            try {
                shared = new KeycloakServer(KeycloakProcess.start(home, realm, logFile, KEYCLOAK_START));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            log.info("Keycloak {} answered at {} after {} ms (log: {})", home.getFileName(), shared.issuer(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.keycloak::close, "keycloak-stop"));
        }
        return shared;
    }

    /** The realm's issuer URI, as Orderly's {@code orderly.security.issuer-uri}. */
    public String issuer() {
        return keycloak.issuer();
    }

    /** An access token of one of the realm's people, as the command-line client gets one. */
    public String token(String username) {
        Http.Response response = tokenResponse(username, "orderly-cli");
        if (response.status() != 200) {
            throw new IllegalStateException("No token for " + username + ": " + response);
        }
        return response.json().get("access_token").asText();
    }

    /** The token endpoint's answer for one of the realm's people through {@code clientId}. */
    public Http.Response tokenResponse(String username, String clientId) {
        return new Http.Response(keycloak.tokenResponse(username, clientId));
    }
}
