package org.orderly.config.security.issuer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Slows password guessing: each login and each client address may fail a few times, then must wait for its
 * token bucket to refill (Bucket4j). Only failures take a token, so a customer who types their password right
 * is never held back. The buckets are kept for a bounded number of keys, least recently used first out, so that
 * guesses from many addresses cannot grow the heap.
 */
final class LoginThrottle {

    /** Failures a login may have in a burst, and how fast it gets them back. */
    static final int LOGIN_BURST = 5;
    static final Duration LOGIN_REFILL = Duration.ofMinutes(1);
    /** The same per client address, which may hold several people (a shared NAT). */
    static final int ADDRESS_BURST = 30;
    static final Duration ADDRESS_REFILL = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 100_000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoginThrottle.class);

    /** A login refused before its password was checked: too many failures came before it. */
    static final class Throttled extends RuntimeException {
        final Duration wait;

        Throttled(Duration wait) {
            super("Too many failed logins; retry in " + (wait.toSeconds() + 1) + " s", null, false, false);
            this.wait = wait;
        }
    }

    /**
     * One attempt to log in, for the token endpoint and the sign-in page alike: refused at once while the login or
     * the address is throttled, otherwise the enabled account this password opens, or {@code null} (counted as a
     * failure). Log lines name the login by a fingerprint only, never as typed (an email is personal data).
     */
    Accounts.Account attempt(Accounts accounts, String login, String password, String address) {
        String normalized = Accounts.normalize(login);
        Duration wait = waitBefore(normalized, address);
        if (!wait.isZero()) {
            log.warn("Login throttled for login {} from {}: retry in {} s", fingerprint(normalized), address,
                    wait.toSeconds() + 1);
            throw new Throttled(wait);
        }
        Accounts.Account account = accounts.verify(normalized, password);
        if (account == null) {
            failed(normalized, address);
            log.warn("Failed login for login {} from {}", fingerprint(normalized), address);
        }
        return account;
    }

    /** A short, stable fingerprint of a login, so log lines about one login can be related without naming it. */
    static String fingerprint(String login) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(login.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_KEYS;
        }
    };
    private final Counter failures;
    private final Counter throttled;

    LoginThrottle(MeterRegistry meters) {
        this.failures = Counter.builder("orderly.login.failures").description("Failed logins at the embedded issuer")
                .register(meters);
        this.throttled = Counter.builder("orderly.login.throttled")
                .description("Logins refused because too many failed before them").register(meters);
    }

    /** How long the caller must wait before trying again, or zero when it may try now. */
    synchronized Duration waitBefore(String login, String address) {
        long nanos = Math.max(bucket("l:" + login, LOGIN_BURST, LOGIN_REFILL).getAvailableTokens() > 0 ? 0
                        : bucket("l:" + login, LOGIN_BURST, LOGIN_REFILL).estimateAbilityToConsume(1).getNanosToWaitForRefill(),
                bucket("a:" + address, ADDRESS_BURST, ADDRESS_REFILL).getAvailableTokens() > 0 ? 0
                        : bucket("a:" + address, ADDRESS_BURST, ADDRESS_REFILL).estimateAbilityToConsume(1).getNanosToWaitForRefill());
        if (nanos > 0) {
            throttled.increment();
        }
        return Duration.ofNanos(nanos);
    }

    synchronized void failed(String login, String address) {
        failures.increment();
        bucket("l:" + login, LOGIN_BURST, LOGIN_REFILL).tryConsume(1);
        bucket("a:" + address, ADDRESS_BURST, ADDRESS_REFILL).tryConsume(1);
    }

    private Bucket bucket(String key, int burst, Duration refill) {
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(burst, refill).build())
                .build());
    }
}
