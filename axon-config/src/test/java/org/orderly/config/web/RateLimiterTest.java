package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RateLimiterTest {

    @Test
    void aCallerGetsItsBurstThenARetryAfterWhileOthersAreUnaffected() {
        RateLimiter limiter = new RateLimiter(1, 3, 100);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryConsume("ada").allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.tryConsume("ada");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(limiter.tryConsume("grace").allowed()).isTrue();
    }

    @Test
    void onlyTheMostRecentlySeenCallersAreTracked() {
        RateLimiter limiter = new RateLimiter(1, 1, 10);

        for (int i = 0; i < 1000; i++) {
            limiter.tryConsume("10.0.0." + i);
        }

        assertThat(limiter.trackedKeys()).isEqualTo(10);
    }

    @Test
    void theFilterAnswers429ProblemWithRetryAfterAndCountsIt() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitFilter filter = new RateLimitFilter(new RateLimiter(100, 100, 10), new RateLimiter(1, 1, 10),
                new com.fasterxml.jackson.databind.ObjectMapper(), meters);

        MockHttpServletResponse first = call(filter, "10.0.0.1");
        MockHttpServletResponse second = call(filter, "10.0.0.1");

        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(second.getStatus()).isEqualTo(429);
        assertThat(second.getContentType()).isEqualTo("application/problem+json");
        assertThat(second.getHeader("Retry-After")).isEqualTo("1");
        assertThat(second.getContentAsString()).contains("\"status\":429");
        assertThat(meters.get(RateLimitFilter.METRIC).tag("caller", "anonymous").counter().count()).isEqualTo(1);
        assertThat(call(filter, "10.0.0.2").getStatus()).isEqualTo(200);
    }

    private static MockHttpServletResponse call(RateLimitFilter filter, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/products");
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
