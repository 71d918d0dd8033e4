package org.orderly.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Rate limits end to end, on a node whose limits are small enough to reach: one caller beyond its bucket gets 429
 * problem+json with {@code Retry-After}, while another caller (counted apart) is still served.
 */
@OrderlyIntegrationTest
@TestPropertySource(properties = {
        "orderly.web.rate-limit.anonymous-per-second=2", "orderly.web.rate-limit.anonymous-burst=10",
        "orderly.web.rate-limit.authenticated-per-second=2", "orderly.web.rate-limit.authenticated-burst=10"})
class RateLimitIT {

    @LocalServerPort
    int port;

    @Test
    void aCallerBeyondItsBucketGets429WithRetryAfterWhileAnotherCallerIsStillServed() {
        Identities identities = new Identities(port);
        Http staff = identities.staff();
        Http operator = identities.operator();

        List<Http.Response> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(staff.get("/api/products?limit=1"));
        }
        Http.Response refused = answers.stream().filter(r -> r.status() == 429).findFirst().orElse(null);
        assertThat(refused).as("a 429 among 30 requests of one user with a burst of 10").isNotNull();
        ApiAssertions.assertProblem(refused, 429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(answers.stream().filter(r -> r.status() == 200).count()).isBetween(8L, 20L);

        // another user has a bucket of their own
        assertThat(operator.get("/api/ops/processors").status()).isEqualTo(200);
    }
}
