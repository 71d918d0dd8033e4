package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.KeycloakServer;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;

/**
 * How docker-compose.yml's Prometheus scrapes the nodes, against a real Keycloak with the realm of
 * {@code docker/keycloak/orderly-realm.json}: the client of {@code docker/prometheus/prometheus.yml} gets a token by
 * the client-credentials grant, and Orderly serves its metrics for that token, while a customer's token or none
 * gets nothing. Metrics stay operators' only; Prometheus is an operator of its own.
 */
class PrometheusScrapeIT {

    private static final Path PROMETHEUS = Path.of("..", "docker", "prometheus", "prometheus.yml");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusScrapesMetricsWithItsOwnClientsTokenWhichKeycloakGrantsAsAnOperator() throws Exception {
        KeycloakServer keycloak = KeycloakServer.shared();
        Map<String, Object> scrape = firstScrape();
        @SuppressWarnings("unchecked")
        Map<String, String> oauth2 = (Map<String, String>) scrape.get("oauth2");
        String tokenPath = URI.create(oauth2.get("token_url")).getPath();
        assertThat(tokenPath).isEqualTo(URI.create(keycloak.issuer()).getPath() + "/protocol/openid-connect/token");

        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(oauth2.get("client_id"),
                StandardCharsets.UTF_8) + "&client_secret=" + URLEncoder.encode(oauth2.get("client_secret"),
                StandardCharsets.UTF_8);
        Http.Response granted = new Http.Response(CLIENT.send(HttpRequest.newBuilder(
                        URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        String prometheusToken = granted.json().get("access_token").asText();

        try (ConfigurableApplicationContext orderly = new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(OrderlyTestDatabase.properties())
                .run("--server.port=0", "--orderly.security.issuer-uri=" + keycloak.issuer())) {
            Http http = new Http(((WebServerApplicationContext) orderly).getWebServer().getPort());
            String metricsPath = (String) scrape.get("metrics_path");

            Http.Response metrics = http.as(prometheusToken).get(metricsPath);
            assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
            assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");

            assertThat(http.get(metricsPath).status()).as("no token").isEqualTo(401);
            assertThat(http.as(keycloak.token("alice")).get(metricsPath).status()).as("a customer's token")
                    .isEqualTo(403);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstScrape() throws Exception {
        try (InputStream in = Files.newInputStream(PROMETHEUS)) {
            Map<String, Object> config = new Yaml().load(in);
            return ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);
        }
    }
}
