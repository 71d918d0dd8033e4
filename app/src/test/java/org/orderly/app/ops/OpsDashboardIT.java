package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator dashboard end to end, in Debian's headless Chromium: the operator signs in through the browser
 * flow of OpenID Connect (the issuer's sign-in page, a session cookie), clicks replay and rebuild (each a POST
 * carrying the CSRF token), watches the progress bars reach 100%, and the read model is what it was. Chromium
 * is required: {@code .ci/run} installs it, and without it this test fails rather than pass unseen.
 */
@OrderlyIntegrationTest
class OpsDashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Chromium and chromedriver at /usr/bin (apt-get install chromium chromium-driver)").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorReplaysAProjectionAndRebuildsItsDomainFromTheDashboardWatchingBothReach100Percent() {
        Http http = new Http(port);
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/api/customers", "{\"email\": \"dash-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Dashboard " + i + "\", \"password\": \"" + Identities.CUSTOMER_PASSWORD
                    + "\"}").status()).isEqualTo(201);
        }
        JdbcTemplate customer = stores.get("customer").jdbc();
        Identities identities = new Identities(port);
        String operator = identities.operatorAuthorization();
        Awaits.awaitCaughtUp(identities.operator(), "customers");
        List<Map<String, Object>> before = customer.queryForList("SELECT * FROM customers ORDER BY customer_id");

        browser.get("http://localhost:" + port + "/ops");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200));
        // not signed in: the dashboard sends the browser to the issuer's sign-in page
        wait.until(b -> b.findElement(By.id("sign-in")));
        browser.findElement(By.id("username")).sendKeys("operator");
        browser.findElement(By.id("password")).sendKeys("not the password");
        browser.findElement(By.id("sign-in")).click();
        wait.until(b -> b.findElement(By.id("error")));
        browser.findElement(By.id("username")).sendKeys("operator");
        browser.findElement(By.id("password")).sendKeys(Identities.OPERATOR_PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        wait.until(b -> b.getCurrentUrl().equals("http://localhost:" + port + "/ops"));
        assertThat(browser.manage().getCookieNamed("XSRF-TOKEN")).as("the CSRF cookie the page sends back").isNotNull();
        wait.ignoring(StaleElementReferenceException.class);
        By replay = By.cssSelector("button.replay[data-processor='customers']");
        wait.until(b -> b.findElement(replay));
        String deadLetters = wait.until(b -> b.findElement(By.cssSelector("#dead-letters tbody")).getText());
        String failingSagaProcessors = wait.until(b -> b.findElement(By.cssSelector("#failing-saga-processors tbody")).getText());
        String sagasPastDeadline = wait.until(b -> b.findElement(By.cssSelector("#sagas-past-deadline tbody")).getText());
        assertThat(deadLetters).isEqualTo("none");
        assertThat(failingSagaProcessors).isEqualTo("none");
        assertThat(sagasPastDeadline).isEqualTo("none");

        // The cluster: this node, with the segments it claims, read from the token tables.
        String node = stores.nodeId();
        String claims = wait.until(b -> b.findElement(By.cssSelector("#cluster tr[data-node='" + node + "']")).getText());
        assertThat(claims).contains(node).contains("(this node)").contains("customers #0");
        // The plots: once there is a sample, a few registrations show as appends and as the projection's throughput
        // in the next one (the page refreshes itself; the node samples every orderly.ops.sample-interval).
        By appends = By.cssSelector("#trends svg.plot[data-series='append-rate']");
        wait.until(b -> Integer.parseInt(b.findElement(appends).getAttribute("data-points")) >= 1);
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/api/customers", "{\"email\": \"dash-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Dashboard plot " + i + "\", \"password\": \""
                    + Identities.CUSTOMER_PASSWORD + "\"}").status()).isEqualTo(201);
        }
        wait.until(b -> Double.parseDouble(b.findElement(appends).getAttribute("data-max")) > 0);
        By throughput = By.cssSelector("#trends svg.plot[data-series='throughput'][data-processor='customers']");
        wait.until(b -> Double.parseDouble(b.findElement(throughput).getAttribute("data-max")) > 0);
        String lagPoints = wait.until(b -> b.findElement(By.cssSelector(
                "#trends svg.plot[data-series='lag'][data-processor='customers']")).getAttribute("data-points"));
        assertThat(Integer.parseInt(lagPoints)).as("samples on the customers lag plot").isGreaterThanOrEqualTo(2);
        // a line needs two samples; the plots have one sample more at each refresh, so wait for the next if need be
        String line = wait.until(b -> {
            String points = b.findElement(appends).findElement(By.tagName("polyline")).getAttribute("points");
            return points.split(" ").length >= 2 ? points : null;
        });
        assertThat(line.split(" ")).as("the append-rate line's points").hasSizeGreaterThanOrEqualTo(2);
        Awaits.awaitCaughtUp(identities.operator(), "customers");
        before = customer.queryForList("SELECT * FROM customers ORDER BY customer_id");
        // the operator answers every question yes; a refusal the page would show in a dialog goes to its status line
        ((JavascriptExecutor) browser).executeScript("window.confirm = () => true; "
                + "window.alert = m => document.getElementById('status').textContent = 'refused: ' + m;");
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

        // Clicked again while no new rebuild shows: right after a replay the domain may still be settling, and
        // the page then shows the refusal (409) as an operator would see it, who would click again.
        wait.withMessage(() -> "the page's status: " + browser.findElement(By.id("status")).getText());
        String rebuildId = wait.until(b -> {
            String started = b.findElements(By.cssSelector("#rebuilds tbody tr[data-rebuild]"))
                    .stream().filter(r -> r.getText().contains("customer"))
                    .map(r -> r.getAttribute("data-rebuild"))
                    .filter(id -> !earlierRebuilds.contains(id)).findFirst().orElse(null);
            if (started == null) {
                b.findElement(By.cssSelector("button.rebuild[data-processor='customers']")).click();
            }
            return started;
        });
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
