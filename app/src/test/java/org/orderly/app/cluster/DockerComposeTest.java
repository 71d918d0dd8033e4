package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orderly.testsupport.ClusterNodeProcess;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} cannot run where the build runs (no Docker engine), so it is kept correct by
 * construction: its nodes get exactly the environment {@link ClusterNodeProcess#environment} gives the node processes
 * {@link ClusterIT} and the benchmark's cluster workload start, run the jars
 * the command-side and query-side modules build, know every password the administrator script sets, sit behind a
 * proxy that routes as the deployables divide the API, and are all scraped by Prometheus. Each test reads the files
 * themselves (SnakeYAML resolves the anchors and merge keys the compose file shares its node settings with).
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path ADMIN_SCRIPT = ROOT.resolve("docker/postgres/init/01-orderly-roles.sql");
    private static final Path REALM = ROOT.resolve("docker/keycloak/orderly-realm.json");
    private static final Path PROXY = ROOT.resolve("docker/proxy/nginx.conf");
    private static final Path PROMETHEUS = ROOT.resolve("docker/prometheus/prometheus.yml");
    /** What a node gets beside the shared node environment: its own port and id, and the Axon Server switch. */
    private static final Set<String> PER_NODE = Set.of("PORT", "ORDERLY_NODE_ID", "SPRING_PROFILES_ACTIVE",
            "AXONSERVER_SERVERS");
    private static final Map<String, String> NODES = Map.of(
            "command-1", "command-side", "command-2", "command-side", "query-1", "query-side", "query-2", "query-side");

    @Test
    void everyNodeGetsExactlyTheEnvironmentTheMultiProcessClusterTestGivesItsNodes() throws IOException {
        Map<String, Object> services = services();
        String issuer = keycloakIssuer(services);
        Map<String, String> cluster = ClusterNodeProcess.environment(5432, issuer, ADMIN_SCRIPT);
        assertThat(cluster.get("ORDERLY_DATABASE_URL")).startsWith("jdbc:postgresql://localhost:5432/");

        Set<String> nodeIds = new HashSet<>();
        for (String node : NODES.keySet()) {
            Map<String, String> environment = environment(services, node);
            assertThat(environment.keySet()).as(node + "'s variables, beside its own")
                    .containsAll(cluster.keySet()).containsAll(Set.of("PORT", "ORDERLY_NODE_ID"));
            Set<String> extra = new TreeSet<>(environment.keySet());
            extra.removeAll(cluster.keySet());
            assertThat(extra).as(node + "'s variables that the cluster's node processes do not get").isSubsetOf(PER_NODE);
            for (Map.Entry<String, String> variable : cluster.entrySet()) {
                if (!variable.getKey().equals("ORDERLY_DATABASE_URL")) {
                    assertThat(environment.get(variable.getKey())).as(node + " " + variable.getKey())
                            .isEqualTo(variable.getValue());
                }
            }
            assertThat(environment.get("ORDERLY_DATABASE_URL")).as(node + "'s database")
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + postgresDatabase(services));
            assertThat(environment.get("AXONSERVER_SERVERS")).isEqualTo("axonserver:8124");
            nodeIds.add(environment.get("ORDERLY_NODE_ID"));
        }
        assertThat(nodeIds).as("node ids, one per node").hasSize(NODES.size());
    }

    @Test
    void everyRoleOfTheAdministratorScriptHasItsPasswordOnEveryNode() throws IOException {
        Map<String, Object> services = services();
        Matcher role = Pattern.compile("ALTER ROLE (orderly(?:_\\w+)?) WITH .*PASSWORD '([^']*)'")
                .matcher(Files.readString(ADMIN_SCRIPT));
        Map<String, String> passwords = new TreeMap<>();
        while (role.find()) {
            passwords.put(role.group(1), role.group(2));
        }
        assertThat(passwords).containsKeys("orderly", "orderly_owner", "orderly_customer", "orderly_audit");
        for (String node : NODES.keySet()) {
            Map<String, String> environment = environment(services, node);
            passwords.forEach((name, password) -> {
                String variable = switch (name) {
                    case "orderly" -> "ORDERLY_DATABASE_PASSWORD";
                    case "orderly_owner" -> "ORDERLY_DATABASE_OWNER_PASSWORD";
                    default -> "ORDERLY_DOMAINS_" + name.substring("orderly_".length()).toUpperCase() + "_PASSWORD";
                };
                assertThat(environment.get(variable)).as(node + " " + variable).isEqualTo(password);
            });
        }
        Map<String, Object> postgres = service(services, "postgres");
        assertThat(strings(postgres.get("volumes"))).as("the administrator script runs at the database's first start")
                .contains("./docker/postgres/init:/docker-entrypoint-initdb.d:ro");
    }

    @Test
    void theNodesRunTheExecutableJarsTheCommandSideAndQuerySideModulesBuild() throws IOException {
        Map<String, Object> services = services();
        String version = projectVersion();
        for (Map.Entry<String, String> node : NODES.entrySet()) {
            String module = node.getValue();
            String modulePom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(modulePom).as(module + " repackages its runnable jar with the exec classifier")
                    .contains("<artifactId>" + module + "</artifactId>").contains("<classifier>exec</classifier>");
            Map<String, Object> service = service(services, node.getKey());
            String jar = "/orderly/" + module + ".jar";
            assertThat(strings(service.get("volumes"))).as(node.getKey() + "'s jar, read-only")
                    .containsExactly("./" + module + "/target/" + module + "-" + version + "-exec.jar:" + jar + ":ro");
            assertThat(strings(service.get("command"))).containsExactly("java", "-jar", jar);
            assertThat(service.get("image")).isEqualTo("eclipse-temurin:17-jre");
            Map<String, Object> dependsOn = map(service.get("depends_on"));
            assertThat(map(dependsOn.get("postgres")).get("condition")).isEqualTo("service_healthy");
            assertThat(dependsOn).containsKey("keycloak");
            assertThat(String.join(" ", strings(map(service.get("healthcheck")).get("test"))))
                    .contains("/actuator/health/readiness").contains("${PORT}");
        }
        assertThat(environment(services, "command-1").get("PORT")).isEqualTo("8081");
        assertThat(environment(services, "query-1").get("PORT")).isEqualTo("8082");
        assertThat(service(services, "axonserver").get("profiles")).isEqualTo(List.of("axonserver"));
    }

    @Test
    void oneIssuerIsBothWhereTheNodesFetchKeysAndWhatTokensSay() throws IOException {
        Map<String, Object> services = services();
        Map<String, String> keycloak = strings(map(service(services, "keycloak").get("environment")));
        String hostname = keycloak.get("KC_HOSTNAME");
        assertThat(hostname).as("the fixed hostname tokens name, reachable in the network by service name")
                .isEqualTo("http://keycloak:" + keycloak.get("KC_HTTP_PORT"));
        assertThat(strings(service(services, "keycloak").get("ports")))
                .as("the same port on the host, so that the one issuer URL works there too")
                .contains(keycloak.get("KC_HTTP_PORT") + ":" + keycloak.get("KC_HTTP_PORT"));
        for (String node : NODES.keySet()) {
            assertThat(environment(services, node).get("ORDERLY_SECURITY_ISSUER_URI")).isEqualTo(keycloakIssuer(services));
        }
    }

    @Test
    void theProxySendsReadsToQueryNodesWritesToCommandNodesAndOperatorsToQueryNodes() throws IOException {
        Map<String, Object> services = services();
        String conf = Files.readString(PROXY);
        Map<String, Set<String>> upstreams = new HashMap<>();
        Matcher upstream = Pattern.compile("upstream (\\w+) \\{([^}]*)}").matcher(conf);
        while (upstream.find()) {
            Matcher server = Pattern.compile("server ([\\w.-]+:\\d+);").matcher(upstream.group(2));
            Set<String> servers = new TreeSet<>();
            while (server.find()) {
                servers.add(server.group(1));
            }
            upstreams.put(upstream.group(1), servers);
        }
        assertThat(upstreams.get("command_nodes")).isEqualTo(addresses(services, "command-side"));
        assertThat(upstreams.get("query_nodes")).isEqualTo(addresses(services, "query-side"));
        assertThat(upstreams.get("dashboard_nodes")).isEqualTo(addresses(services, "query-side"));

        Matcher map = Pattern.compile("map \\$request_method \\$orderly_nodes \\{([^}]*)}").matcher(conf);
        assertThat(map.find()).as("a map from request method to upstream").isTrue();
        Map<String, String> byMethod = new HashMap<>();
        Matcher entry = Pattern.compile("(\\w+)\\s+(\\w+);").matcher(map.group(1));
        while (entry.find()) {
            byMethod.put(entry.group(1), entry.group(2));
        }
        assertThat(byMethod).isEqualTo(Map.of("GET", "query_nodes", "HEAD", "query_nodes", "default", "command_nodes"));

        Map<String, String> locations = new LinkedHashMap<>();
        Matcher location = Pattern.compile("location (\\S+(?: \\S+)?) \\{\\s*([^}]*?)\\s*}").matcher(conf);
        while (location.find()) {
            locations.put(location.group(1), location.group(2));
        }
        assertThat(locations.get("/api/ops/")).isEqualTo("proxy_pass http://query_nodes;");
        assertThat(locations.get("/")).isEqualTo("proxy_pass http://$orderly_nodes;");
        assertThat(locations.get("/actuator")).as("health and metrics per node, not through the proxy")
                .isEqualTo("return 404;");
        assertThat(locations).hasSize(4);
        String dashboard = locations.keySet().stream().filter(l -> l.startsWith("~")).findFirst().orElseThrow();
        Pattern dashboardPaths = Pattern.compile(dashboard.substring(2));
        for (String path : List.of("/ops", "/ops/dead-letters", "/oauth2/authorization/orderly", "/login/oauth2/code/orderly")) {
            assertThat(dashboardPaths.matcher(path).matches()).as(path).isTrue();
        }
        for (String path : List.of("/api/ops/replays", "/api/orders", "/opsx")) {
            assertThat(dashboardPaths.matcher(path).matches()).as(path).isFalse();
        }
        assertThat(locations.get(dashboard)).isEqualTo("proxy_pass http://dashboard_nodes;");
        assertThat(conf).contains("proxy_set_header Authorization $http_authorization;")
                .contains("proxy_set_header Orderly-Position $http_orderly_position;");
        assertThat(strings(service(services, "proxy").get("volumes")))
                .containsExactly("./docker/proxy/nginx.conf:/etc/nginx/nginx.conf:ro");
    }

    @Test
    void prometheusScrapesEveryNodeWithATokenOfAnOperatorClient() throws IOException {
        Map<String, Object> services = services();
        Map<String, Object> prometheus;
        try (InputStream in = Files.newInputStream(PROMETHEUS)) {
            prometheus = new Yaml().load(in);
        }
        Set<String> targets = new TreeSet<>();
        Set<String> clients = new HashSet<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Map<String, Object> scrape = map(job);
            assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
            Map<String, String> oauth2 = strings(map(scrape.get("oauth2")));
            assertThat(oauth2.get("token_url")).isEqualTo(keycloakIssuer(services) + "/protocol/openid-connect/token");
            clients.add(oauth2.get("client_id") + ":" + oauth2.get("client_secret"));
            for (Object config : (List<?>) scrape.get("static_configs")) {
                targets.addAll(strings(map(config).get("targets")));
            }
        }
        Set<String> nodes = new TreeSet<>(addresses(services, "command-side"));
        nodes.addAll(addresses(services, "query-side"));
        assertThat(targets).isEqualTo(nodes);

        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
        assertThat(clients).hasSize(1);
        String[] client = clients.iterator().next().split(":", 2);
        JsonNode registered = null;
        for (JsonNode candidate : realm.get("clients")) {
            if (candidate.get("clientId").asText().equals(client[0])) {
                registered = candidate;
            }
        }
        assertThat(registered).as("Prometheus's client in the realm").isNotNull();
        assertThat(registered.get("publicClient").asBoolean()).isFalse();
        assertThat(registered.get("secret").asText()).isEqualTo(client[1]);
        assertThat(registered.get("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(registered.toString()).as("tokens for Orderly's audience").contains("\"included.custom.audience\":\"orderly\"");
        boolean operator = false;
        for (JsonNode user : realm.get("users")) {
            if (client[0].equals(user.path("serviceAccountClientId").asText())) {
                operator = user.get("realmRoles").toString().contains("\"operator\"");
            }
        }
        assertThat(operator).as("the client's service account is an operator (metrics are operators' only)").isTrue();
    }

    private static Map<String, Object> services() throws IOException {
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(in);
            return map(compose.get("services"));
        }
    }

    private static Map<String, Object> service(Map<String, Object> services, String name) {
        assertThat(services).as("services of docker-compose.yml").containsKey(name);
        return map(services.get(name));
    }

    /** A node's environment as the container sees it: compose's {@code $$} is a literal dollar. */
    private static Map<String, String> environment(Map<String, Object> services, String node) {
        return strings(map(service(services, node).get("environment")));
    }

    private static String keycloakIssuer(Map<String, Object> services) throws IOException {
        String realm = new ObjectMapper().readTree(REALM.toFile()).get("realm").asText();
        return strings(map(service(services, "keycloak").get("environment"))).get("KC_HOSTNAME") + "/realms/" + realm;
    }

    private static String postgresDatabase(Map<String, Object> services) {
        return strings(map(service(services, "postgres").get("environment"))).get("POSTGRES_DB");
    }

    /** host:port of every node of one deployable, as the proxy and Prometheus must reach them. */
    private static Set<String> addresses(Map<String, Object> services, String module) {
        return NODES.entrySet().stream().filter(node -> node.getValue().equals(module))
                .map(node -> node.getKey() + ":" + environment(services, node.getKey()).get("PORT"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("</parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((key, value) -> strings.put(key, value == null ? null : value.toString().replace("$$", "$")));
        return strings;
    }

    private static List<String> strings(Object list) {
        assertThat(list).isInstanceOf(List.class);
        return ((List<?>) list).stream().map(value -> value.toString().replace("$$", "$")).toList();
    }
}
