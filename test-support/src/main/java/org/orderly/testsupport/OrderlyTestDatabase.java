package org.orderly.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Chooses the real PostgreSQL a test context runs on, in this order:
 * <ol>
 *   <li>{@code ORDERLY_TEST_JDBC_URL} (with {@code _USERNAME}, {@code _PASSWORD}), an administrator on a
 *       database the tests may fill;</li>
 *   <li>a Testcontainers PostgreSQL, when a Docker engine answers;</li>
 *   <li>otherwise Orderly's own embedded PostgreSQL, in a fresh temporary data directory.</li>
 * </ol>
 * Never H2, never a mock.
 */
public class OrderlyTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(OrderlyTestDatabase.class);
    private static PostgreSQLContainer<?> container;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("orderlyTestDatabase", properties()));
    }

    public static Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        String url = System.getenv("ORDERLY_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            props.put("orderly.database.url", url);
            props.put("orderly.database.username", System.getenv().getOrDefault("ORDERLY_TEST_JDBC_USERNAME", "postgres"));
            props.put("orderly.database.password", System.getenv().getOrDefault("ORDERLY_TEST_JDBC_PASSWORD", ""));
            props.put("orderly.database.manage-roles", "true");
        } else if (dockerAvailable()) {
            PostgreSQLContainer<?> pg = container();
            props.put("orderly.database.url", pg.getJdbcUrl());
            props.put("orderly.database.username", pg.getUsername());
            props.put("orderly.database.password", pg.getPassword());
            props.put("orderly.database.manage-roles", "true");
        } else {
            props.put("orderly.database.embedded.data-directory", freshDirectory().toString());
            props.put("orderly.database.embedded.port", "0");
            props.put("orderly.database.embedded.temporary", "true");
        }
        return props;
    }

    /**
     * The same database settings, with an embedded PostgreSQL that keeps its data when it stops: for the first
     * of two starts on one database (a restart); the second start, left temporary, deletes it.
     */
    public static Map<String, Object> keptOnStop(Map<String, Object> properties) {
        Map<String, Object> kept = new HashMap<>(properties);
        kept.put("orderly.database.embedded.temporary", "false");
        return kept;
    }

    public static Path freshDirectory() {
        try {
            return Files.createTempDirectory("orderly-test-").resolve("pgdata");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized PostgreSQLContainer<?> container() {
        if (container == null) {
            container = new PostgreSQLContainer<>("postgres:17-alpine");
            container.start();
            log.info("Tests run on Testcontainers PostgreSQL at {}", container.getJdbcUrl());
        }
        return container;
    }

    private static boolean dockerAvailable() {
        boolean hinted = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hinted) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
