package org.orderly.config.web;

import java.io.IOException;
import java.security.Principal;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.lang.NonNull;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests per second per caller ({@code orderly.web.rate-limit.*}): an authenticated caller by user name,
 * an anonymous one by remote address. Beyond its limit a caller gets a 429 with {@code Retry-After} and
 * nothing runs. Runs after Spring Security's filters, which is what makes the user known; each refusal
 * counts in {@code orderly.http.rate.limited} (tag {@code caller}: authenticated or anonymous).
 */
public class RateLimitFilter extends OncePerRequestFilter {

    public static final String METRIC = "orderly.http.rate.limited";

    private final RateLimiter authenticated;
    private final RateLimiter anonymous;
    private final ObjectMapper json;
    private final Counter authenticatedRefusals;
    private final Counter anonymousRefusals;

    public RateLimitFilter(RateLimiter authenticated, RateLimiter anonymous, ObjectMapper json, MeterRegistry meters) {
        this.authenticated = authenticated;
        this.anonymous = anonymous;
        this.json = json;
        this.authenticatedRefusals = Counter.builder(METRIC).tag("caller", "authenticated")
                .description("Requests refused with 429 because their caller exceeded its rate limit").register(meters);
        this.anonymousRefusals = Counter.builder(METRIC).tag("caller", "anonymous")
                .description("Requests refused with 429 because their caller exceeded its rate limit").register(meters);
    }

    @Override
    protected void doFilterInternal(@NonNull HttpServletRequest request, @NonNull HttpServletResponse response,
                                    @NonNull FilterChain chain) throws ServletException, IOException {
        Principal user = request.getUserPrincipal();
        RateLimiter.Decision decision = user != null
                ? authenticated.tryConsume(user.getName())
                : anonymous.tryConsume(request.getRemoteAddr());
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        (user != null ? authenticatedRefusals : anonymousRefusals).increment();
        String detail = "Too many requests; retry after " + decision.retryAfterSeconds() + " s";
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Problems.of(HttpStatus.TOO_MANY_REQUESTS, detail, List.of()));
    }
}
