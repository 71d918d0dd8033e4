package org.orderly.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Keycloak as Orderly's identity provider in tests: Keycloak's distribution (unpacked by the build into
 * {@code target/keycloak}) in development mode with {@code docker/keycloak/orderly-realm.json} imported. It takes a
 * minute or two to start on a busy machine, so the integration tests of one run share one ({@link #shared()}),
 * stopped when the test JVM ends.
 */
final class KeycloakServer {

    private static final Logger log = LoggerFactory.getLogger(KeycloakServer.class);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Development mode rebuilds Keycloak's server at each start: about 100 s on two busy cores, 30 s on a laptop. */
    private static final Duration KEYCLOAK_START = Duration.ofSeconds(240);
    /** The realm's people and their passwords, as docker/keycloak/orderly-realm.json sets them. */
    static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-password", "bob", "bob-password", "sam", "sam-password", "olga", "olga-password");

    private static KeycloakServer shared;

    private final Process process;
    private final String issuer;

    private KeycloakServer(Process process, String issuer) {
        this.process = process;
        this.issuer = issuer;
    }

    /** The one Keycloak of this test JVM, started on first use. */
    static synchronized KeycloakServer shared() {
        if (shared == null) {
            try {
                int port = freePort();
                shared = new KeycloakServer(startKeycloak(port), "http://localhost:" + port + "/realms/orderly");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "keycloak-stop"));
        }
        return shared;
    }

    /** The realm's issuer URI, as Orderly's {@code orderly.security.issuer-uri}. */
    String issuer() {
        return issuer;
    }

    /** An access token of one of the realm's people, as the command-line client gets one. */
    String token(String username) {
        Http.Response response = tokenResponse(username, "orderly-cli");
        if (response.status() != 200) {
            throw new IllegalStateException("No token for " + username + ": " + response);
        }
        return response.json().get("access_token").asText();
    }

    Http.Response tokenResponse(String username, String clientId) {
        String form = Map.of("grant_type", "password", "client_id", clientId, "username", username,
                        "password", PASSWORDS.get(username)).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return new Http.Response(CLIENT.send(HttpRequest.newBuilder(
                                    URI.create(issuer + "/protocol/openid-connect/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Process startKeycloak(int port) throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        Path realm = Path.of(System.getProperty("keycloak.realm", "../docker/keycloak/orderly-realm.json"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            fail("No Keycloak distribution at " + home + ": the build unpacks org.keycloak:keycloak-quarkus-dist "
                    + "there in pre-integration-test (run through ./mvnw verify)");
        }
        Path javaHome = keycloakJavaHome().orElseGet(() -> fail("Keycloak needs a JDK 21 or later: none in "
                + "KEYCLOAK_JAVA_HOME, this JVM or /usr/lib/jvm"));
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realm, imports.resolve("orderly-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        Path logFile = Path.of("target/keycloak.log").toAbsolutePath();
        Files.createDirectories(logFile.getParent());

        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + freePort(), "--import-realm",
                // a fresh in-memory database each run, so the realm is always the one in the file
                "--db=dev-mem")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.remove("JAVA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-for-tests");
        env.put("KC_HEALTH_ENABLED", "true");
        long started = System.nanoTime();
        Process process = builder.start();
        URI discovery = URI.create("http://localhost:" + port + "/realms/orderly/.well-known/openid-configuration");
        while (true) {
            if (!process.isAlive()) {
                fail("Keycloak stopped with exit code " + process.exitValue() + ":\n" + tail(logFile));
            }
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(KEYCLOAK_START) > 0) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("Keycloak did not answer " + discovery + " within " + KEYCLOAK_START + ":\n" + tail(logFile));
            }
            try {
                HttpResponse<Void> answer = CLIENT.send(HttpRequest.newBuilder(discovery)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        log.info("Keycloak {} answered on port {} after {} ms (log: {})", home.getFileName(), port,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), logFile);
        return process;
    }

    /** {@code KEYCLOAK_JAVA_HOME}, else this JVM, else the newest JDK in /usr/lib/jvm: whichever is 21 or later. */
    private static Optional<Path> keycloakJavaHome() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("KEYCLOAK_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> installed = Files.list(jvms)) {
                installed.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                        .sorted(Comparator.comparingInt(KeycloakServer::featureVersion).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream().filter(jdk -> featureVersion(jdk) >= 21).findFirst();
    }

    /** The feature version a JDK's {@code release} file names ({@code JAVA_VERSION="25.0.1"} is 25), else 0. */
    private static int featureVersion(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try (var reader = Files.newBufferedReader(release)) {
            Properties properties = new Properties();
            properties.load(reader);
            String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
            String feature = version.startsWith("1.") ? version.substring(2) : version;
            return Integer.parseInt(feature.split("[.+-]")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
