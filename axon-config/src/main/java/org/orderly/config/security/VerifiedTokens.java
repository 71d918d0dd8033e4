package org.orderly.config.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A token decoder that verifies a token's signature once and then, for {@code orderly.security.verified-token-reuse},
 * accepts the same token again on the strength of that verification.
 * <p>
 * A client sends the same access token with every request until it expires, and verifying it is most of what
 * authentication costs: the RSA signature, and Nimbus turning the key set into Java keys for each token. Profiled
 * under staff registrations, verification was an eighth of the application's CPU. The same token string has the
 * same signature under the same keys, so verifying it again proves nothing new; what can change is time, and the
 * time-bound claims are checked on every request: a remembered token is validated again (expiry, not-before, issuer,
 * audience) and refused when it no longer passes. The only thing a remembered token skips is a key change at the
 * issuer: a token signed with a key the issuer has since withdrawn is still accepted for at most the reuse time after
 * it was first verified.
 * <p>
 * Tokens are remembered by their whole text, at most {@value #MAXIMUM_SIZE}; a token that fails verification is never
 * remembered. Hits and misses are in Micrometer's cache meters, {@code cache="verified-tokens"}.
 */
public final class VerifiedTokens implements JwtDecoder {

    /** Enough for every client of a busy node; a token and its claims take about a kilobyte. */
    static final long MAXIMUM_SIZE = 10_000;

    private final JwtDecoder verifying;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifying the decoder that verifies signatures and validates claims with {@code validator}
     * @param validator the claims checks, run again on every reuse
     * @param reuse     how long a verified token is accepted again without its signature verified; zero: never
     */
    public VerifiedTokens(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, Duration reuse) {
        this.verifying = verifying;
        this.validator = validator;
        this.verified = reuse.isZero() || reuse.isNegative() ? null : Caffeine.newBuilder()
                .expireAfterWrite(reuse)
                .maximumSize(MAXIMUM_SIZE)
                .recordStats()
                .build();
    }

    /** The decoder as configured: remembering verified tokens unless {@code reuse} is zero. */
    public static JwtDecoder of(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, Duration reuse,
                                MeterRegistry meters) {
        VerifiedTokens tokens = new VerifiedTokens(verifying, validator, reuse);
        if (tokens.verified == null) {
            return verifying;
        }
        CaffeineCacheMetrics.monitor(meters, tokens.verified, "verified-tokens");
        return tokens;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        if (verified == null) {
            return verifying.decode(token);
        }
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            Jwt jwt = verifying.decode(token); // throws for a bad signature or claims: nothing is remembered
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException("An error occurred while attempting to decode the Jwt: "
                    + result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return known;
    }
}
