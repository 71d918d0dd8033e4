package org.orderly.testsupport;

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

/**
 * A real Keycloak as Orderly's identity provider, for the integration tests and the benchmark alike: Keycloak's
 * distribution (unpacked by the build) in development mode on a free port, with Orderly's realm
 * ({@code docker/keycloak/orderly-realm.json}) imported into a fresh in-memory database, run on a JDK 21 or later.
 */
public final class KeycloakProcess implements AutoCloseable {

    /** The realm's people and their passwords, as docker/keycloak/orderly-realm.json sets them. */
    public static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-password", "bob", "bob-password", "sam", "sam-password", "olga", "olga-password");

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String issuer;

    private KeycloakProcess(Process process, String issuer) {
        this.process = process;
        this.issuer = issuer;
    }

    /**
     * Starts the distribution at {@code home} with {@code realm} imported and waits, up to {@code timeout}, until the
     * realm answers; Keycloak's output goes to {@code log}.
     */
    public static KeycloakProcess start(Path home, Path realm, Path log, Duration timeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home + ": the build unpacks "
                    + "org.keycloak:keycloak-quarkus-dist there (run it through ./mvnw)");
        }
        Path javaHome = javaHome().orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK 21 or later: "
                + "none in KEYCLOAK_JAVA_HOME, this JVM or /usr/lib/jvm"));
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realm, imports.resolve("orderly-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(log.toAbsolutePath().getParent());
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + freePort(), "--import-realm",
                // a fresh in-memory database each run, so the realm is always the one in the file
                "--db=dev-mem")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.remove("JAVA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-for-tests");
        env.put("KC_HEALTH_ENABLED", "true");
        long started = System.nanoTime();
        KeycloakProcess keycloak = new KeycloakProcess(builder.start(), "http://localhost:" + port + "/realms/orderly");
        URI discovery = URI.create(keycloak.issuer + "/.well-known/openid-configuration");
        while (true) {
            if (!keycloak.process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped with exit code " + keycloak.process.exitValue()
                        + ":\n" + tail(log));
            }
            if (System.nanoTime() - started > timeout.toNanos()) {
                keycloak.close();
                throw new IllegalStateException("Keycloak did not answer " + discovery + " within " + timeout + ":\n"
                        + tail(log));
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return keycloak;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
    }

    /** The realm's issuer URI, as Orderly's {@code orderly.security.issuer-uri}. */
    public String issuer() {
        return issuer;
    }

    /** The token endpoint's answer for one of the realm's people (password grant) through {@code clientId}. */
    public HttpResponse<String> tokenResponse(String username, String clientId) {
        String form = Map.of("grant_type", "password", "client_id", clientId, "username", username,
                        "password", PASSWORDS.get(username)).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops Keycloak's JVM and the script that started it. */
    @Override
    public void close() {
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

    /** {@code KEYCLOAK_JAVA_HOME}, else this JVM, else the newest JDK in /usr/lib/jvm: whichever is 21 or later. */
    private static Optional<Path> javaHome() throws IOException {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("KEYCLOAK_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> installed = Files.list(jvms)) {
                installed.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                        .sorted(Comparator.comparingInt(KeycloakProcess::featureVersion).reversed())
                        .forEach(candidates::add);
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

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
