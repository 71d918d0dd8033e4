package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator dashboard end to end, in Debian's headless Chromium: the operator clicks replay, watches
 * the progress bar reach 100%, and the read model is what it was. Skipped only where /usr/bin/chromium
 * is not installed (.ci/run installs it).
 */
@OrderlyIntegrationTest
class OpsDashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    @Autowired
    OrderlyProperties properties;
    ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed at /usr/bin");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        // The operator's credentials on every request the page makes, as a browser that logged in would send them.
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                new Identities(port).operatorAuthorization())));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorReplaysAProjectionAndRebuildsItsDomainFromTheDashboardWatchingBothReach100Percent() {
        Http http = new Identities(port).anonymous();
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/api/customers", "{\"email\": \"dash-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Dashboard " + i + "\", \"password\": \""
                    + Identities.CUSTOMER_PASSWORD + "\"}").status()).isEqualTo(201);
        }
        JdbcTemplate customer = stores.get("customer").jdbc();
        String operator = new Identities(port).operatorAuthorization();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/ops/processors/customers",
                "Authorization", operator).json().get("lagEvents").asLong() == 0);
        List<Map<String, Object>> before = customer.queryForList("SELECT * FROM customers ORDER BY customer_id");

        browser.get("http://localhost:" + port + "/ops");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200));
        wait.ignoring(StaleElementReferenceException.class);
        By replay = By.cssSelector("button.replay[data-processor='customers']");
        wait.until(b -> b.findElement(replay));
        String deadLetters = wait.until(b -> b.findElement(By.cssSelector("#dead-letters tbody")).getText());
        String stuckSagas = wait.until(b -> b.findElement(By.cssSelector("#stuck-sagas tbody")).getText());
        assertThat(deadLetters).isEqualTo("none");
        assertThat(stuckSagas).isEqualTo("none");
        ((JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
        // Replays and rebuilds other tests of this context ran are listed too: watch only the one clicked here.
        List<String> earlierReplays = ids(http, operator, "/api/ops/replays?limit=100", "replayId");
        List<String> earlierRebuilds = ids(http, operator, "/api/ops/rebuilds?limit=100", "rebuildId");
        // The page re-renders itself: find and click in one go, again if the button was replaced meanwhile.
        wait.until(b -> {
            b.findElement(replay).click();
            return true;
        });

        String replayId = wait.until(b -> b.findElements(By.cssSelector("#replays tbody tr")).stream()
                .filter(r -> r.getText().contains("customers"))
                .map(r -> r.getAttribute("data-replay"))
                .filter(id -> !earlierReplays.contains(id)).findFirst().orElse(null));
        wait.until(b -> {
            WebElement current = b.findElement(By.cssSelector("#replays tr[data-replay='" + replayId + "']"));
            return "100".equals(current.findElement(By.tagName("progress")).getAttribute("value"))
                    && current.findElement(By.cssSelector(".outcome")).getText().equals("COMPLETED");
        });

        // Read inside the wait: the page may re-render the row between finding it and reading it.
        String percent = wait.until(b -> b.findElement(
                By.cssSelector("#replays tr[data-replay='" + replayId + "'] .percent")).getText());
        assertThat(percent).isEqualTo("100%");
        assertThat(http.get("/api/ops/replays/" + replayId, "Authorization", operator).json()
                .get("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(customer.queryForList("SELECT * FROM customers ORDER BY customer_id")).isEqualTo(before);

        wait.until(b -> {
            b.findElement(By.cssSelector("button.rebuild[data-processor='customers']")).click();
            return true;
        });
        String rebuildId = wait.until(b -> b.findElements(By.cssSelector("#rebuilds tbody tr[data-rebuild]"))
                .stream().filter(r -> r.getText().contains("customer"))
                .map(r -> r.getAttribute("data-rebuild"))
                .filter(id -> !earlierRebuilds.contains(id)).findFirst().orElse(null));
        wait.until(b -> {
            WebElement current = b.findElement(By.cssSelector("#rebuilds tr[data-rebuild='" + rebuildId + "']"));
            return "100".equals(current.findElement(By.tagName("progress")).getAttribute("value"))
                    && current.findElement(By.cssSelector(".outcome")).getText().equals("COMPLETED");
        });
        assertThat(http.get("/api/ops/rebuilds/" + rebuildId, "Authorization", operator).json()
                .get("phase").asText()).isEqualTo("DONE");
        assertThat(customer.queryForList("SELECT * FROM customers ORDER BY customer_id")).isEqualTo(before);
    }

    private static List<String> ids(Http http, String operator, String path, String field) {
        List<String> ids = new java.util.ArrayList<>();
        http.get(path, "Authorization", operator).json().get("items").forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }
}
