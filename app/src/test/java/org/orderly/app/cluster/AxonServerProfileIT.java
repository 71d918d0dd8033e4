package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.orderly.app.support.Http;
import org.orderly.app.support.KeycloakServer;
import org.orderly.commandside.CommandSideApplication;
import org.orderly.config.deployable.Deployable;
import org.orderly.queryside.QuerySideApplication;
import org.orderly.testsupport.ClusterNodeProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The {@code axonserver} profile of the split deployables: Axon Server (the image docker-compose.yml runs) holds the
 * events and routes commands, queries and events between a command-side and a query-side node, which keep their
 * read models, registries and tokens in PostgreSQL (prepared by the administrator script) and accept Keycloak's
 * tokens. Each node is configured with the cluster nodes' environment, as docker-compose.yml's nodes are, plus the
 * profile and Axon Server's address.
 * <p>
 * It needs a Docker engine. Where none answers it is skipped, visibly: JUnit reports it skipped with the reason,
 * and {@link DockerEngine} logs the reason once.
 */
@ExtendWith(AxonServerProfileIT.DockerEngine.class)
@Testcontainers(disabledWithoutDocker = true)
class AxonServerProfileIT {

    private static final Logger log = LoggerFactory.getLogger(AxonServerProfileIT.class);
    private static final String AXON_SERVER_IMAGE = "axoniq/axonserver:2024.2.4";
    private static final int AXON_SERVER_GRPC = 8124;
    private static final int AXON_SERVER_HTTP = 8024;
    private static final Path ADMIN_SCRIPT = Path.of("..", "docker", "postgres", "init", "01-orderly-roles.sql");

    @Container
    static final GenericContainer<?> AXON_SERVER = new GenericContainer<>(DockerImageName.parse(AXON_SERVER_IMAGE))
            .withEnv("AXONIQ_AXONSERVER_STANDALONE", "true")
            .withEnv("AXONIQ_AXONSERVER_DEVMODE_ENABLED", "true")
            .withExposedPorts(AXON_SERVER_HTTP, AXON_SERVER_GRPC)
            .waitingFor(Wait.forHttp("/actuator/health").forPort(AXON_SERVER_HTTP)
                    .withStartupTimeout(Duration.ofMinutes(3)));

    // The database name the cluster nodes' environment names (an embedded PostgreSQL's default database there).
    @Container
    static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>("postgres:17").withDatabaseName("postgres");

    @Test
    void aCustomerRegisteredOnACommandNodeIsReadOnAQueryNodeWithAxonServerCarryingTheEvents() throws Exception {
        try (Connection superuser = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                POSTGRES.getPassword()); Statement script = superuser.createStatement()) {
            script.execute(Files.readString(ADMIN_SCRIPT));
        }
        KeycloakServer keycloak = KeycloakServer.shared();
        try (ConfigurableApplicationContext command = start(CommandSideApplication.class, Deployable.COMMAND_SIDE,
                "axon-command-1", keycloak.issuer());
             ConfigurableApplicationContext query = start(QuerySideApplication.class, Deployable.QUERY_SIDE,
                     "axon-query-1", keycloak.issuer())) {
            String alice = keycloak.token("alice");
            Http.Response registered = new Http(port(command)).as(alice).post("/api/customers",
                    "{\"email\": \"alice@example.com\", \"name\": \"Alice Adams\"}");
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            String customerId = registered.json().get("customerId").asText();

            Http reads = new Http(port(query)).as(alice);
            Http.Response read = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> reads.get("/api/customers/" + customerId), r -> r.status() == 200);
            assertThat(read.json().get("name").asText()).isEqualTo("Alice Adams");
            assertThat(read.json().get("status").asText()).isEqualTo("ACTIVE");

            // The event went to Axon Server: PostgreSQL's event store, if its tables exist at all, has none of it.
            try (Connection superuser = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                    POSTGRES.getPassword()); Statement statement = superuser.createStatement()) {
                boolean table;
                try (ResultSet exists = statement.executeQuery(
                        "SELECT to_regclass('event_store.domain_event_entry') IS NOT NULL")) {
                    exists.next();
                    table = exists.getBoolean(1);
                }
                if (table) {
                    try (ResultSet events = statement.executeQuery(
                            "SELECT count(*) FROM event_store.domain_event_entry")) {
                        events.next();
                        assertThat(events.getLong(1)).as("events in PostgreSQL's event store").isZero();
                    }
                }
            }
        }
    }

    /** A split node in this JVM, configured as ClusterIT configures its processes, under the axonserver profile. */
    private static ConfigurableApplicationContext start(Class<?> source, Deployable deployable, String nodeId,
                                                        String issuer) {
        Map<String, Object> environment = new HashMap<>(ClusterNodeProcess.environment(POSTGRES.getMappedPort(5432), issuer,
                ADMIN_SCRIPT));
        environment.put("ORDERLY_DATABASE_URL", "jdbc:postgresql://" + POSTGRES.getHost() + ":"
                + POSTGRES.getMappedPort(5432) + "/postgres");
        environment.put("PORT", "0");
        environment.put("ORDERLY_NODE_ID", nodeId);
        environment.put("SPRING_PROFILES_ACTIVE", "axonserver");
        environment.put("AXONSERVER_SERVERS", AXON_SERVER.getHost() + ":" + AXON_SERVER.getMappedPort(AXON_SERVER_GRPC));
        StandardEnvironment nodeEnvironment = new StandardEnvironment();
        // as variables, not properties: the same names and the same relaxed binding as in a container
        nodeEnvironment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("node", environment));
        // what Deployable.run sets for a deployable's main
        return new SpringApplicationBuilder(source).environment(nodeEnvironment)
                .properties(Deployable.PROPERTY + "=" + deployable.label(), "spring.config.name=" + deployable.label(),
                        "spring.application.name=orderly-" + deployable.label())
                .run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Names the reason in the build's log when there is no Docker engine; Testcontainers then skips the class. */
    static final class DockerEngine implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isPresent()) {
                return ConditionEvaluationResult.enabled("checked for the class");
            }
            if (answers()) {
                return ConditionEvaluationResult.enabled("a Docker engine answers");
            }
            String reason = "no Docker engine answers: Axon Server and PostgreSQL run as Testcontainers";
            log.warn("AxonServerProfileIT skipped: {}", reason);
            return ConditionEvaluationResult.disabled(reason);
        }

        private static boolean answers() {
            // Without a socket or DOCKER_HOST, Testcontainers' probing of every strategy only takes time.
            if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
                return false;
            }
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
