package org.orderly.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.keycloakStartSeconds", 600));
    /** The realm's people and their passwords, as docker/keycloak/orderly-realm.json sets them. */
    private static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-password", "bob", "bob-password", "sam", "sam-password", "olga", "olga-password");

    private record Token(String value, long renewAtNanos) {
    }

    private final Process process;
    private final String issuer;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private KeycloakServer(Process process, String issuer) {
        this.process = process;
        this.issuer = issuer;
    }

    /** Starts Keycloak on a free port and waits until the realm answers; its output goes to {@code log}. */
    static KeycloakServer start(Path log) throws IOException, InterruptedException {
        Path home = home();
        Path realm = Path.of(System.getProperty("bench.keycloakRealm", "docker/keycloak/orderly-realm.json"))
                .toAbsolutePath().normalize();
        Path javaHome = javaHome().orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK 21 or later: "
                + "none in KEYCLOAK_JAVA_HOME, this JVM or /usr/lib/jvm"));
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realm, imports.resolve("orderly-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        int port = Benchmark.freePort();
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + Benchmark.freePort(), "--import-realm",
                // a fresh in-memory database each run, so the realm is always the one in the file
                "--db=dev-mem")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.remove("JAVA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-for-the-benchmark");
        long started = System.nanoTime();
        KeycloakServer server = new KeycloakServer(builder.start(), "http://localhost:" + port + "/realms/orderly");
        URI discovery = URI.create(server.issuer + "/.well-known/openid-configuration");
        while (true) {
            if (!server.process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped with exit code " + server.process.exitValue()
                        + "; see " + log);
            }
            if (System.nanoTime() - started > START_TIMEOUT.toNanos()) {
                server.close();
                throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT + "; see " + log);
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.printf("Keycloak ready in %d s (log: %s)%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), log);
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
    }

    /** The realm's issuer URI, as every node's {@code orderly.security.issuer-uri}. */
    String issuer() {
        return issuer;
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
        String form = Map.of("grant_type", "password", "client_id", "orderly-cli", "username", username,
                        "password", PASSWORDS.get(username)).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                            URI.create(issuer + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("No token for " + username + ": " + response.statusCode());
            }
            Benchmark.Response answer = new Benchmark.Response(response.statusCode(), response.body(), null);
            long lifetimeSeconds = answer.json().path("expires_in").asLong(60);
            return new Token(answer.json().get("access_token").asText(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds) / 2);
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
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** {@code bench.keycloakHome}, else the one distribution the build unpacked into bench/target/keycloak. */
    private static Path home() throws IOException {
        String configured = System.getProperty("bench.keycloakHome");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
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

    /** {@code KEYCLOAK_JAVA_HOME}, else this JVM, else the newest JDK in /usr/lib/jvm: whichever is 21 or later. */
    private static Optional<Path> javaHome() throws IOException {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("KEYCLOAK_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> installed = Files.list(jvms)) {
                installed.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                        .sorted(Comparator.comparingInt(KeycloakServer::featureVersion).reversed())
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
}
