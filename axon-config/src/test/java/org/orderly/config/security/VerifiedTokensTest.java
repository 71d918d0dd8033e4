package org.orderly.config.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Tokens signed with a real RSA key and verified by Spring's Nimbus decoder; the decoder's verifications are
 * counted to show which requests verified a signature and which reused an earlier verification.
 */
class VerifiedTokensTest {

    private static final String ISSUER = "http://localhost:8080";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final KeyPair signing = rsa();
    private final OAuth2TokenValidator<Jwt> validator = validator();
    private final AtomicInteger verifications = new AtomicInteger();

    @Test
    void aTokenSeenBeforeIsAcceptedWithoutVerifyingItsSignatureAgain() {
        JwtDecoder tokens = VerifiedTokens.of(counting(signing), validator, Duration.ofMinutes(1), new SimpleMeterRegistry());
        String token = token(signing, Duration.ofMinutes(15));

        for (int request = 0; request < 5; request++) {
            assertThat(tokens.decode(token).getSubject()).isEqualTo("staff");
        }

        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItHasExpired() {
        JwtDecoder tokens = VerifiedTokens.of(counting(signing), validator, Duration.ofHours(1), new SimpleMeterRegistry());
        String token = token(signing, Duration.ofMinutes(15));
        tokens.decode(token);

        clock.advance(Duration.ofMinutes(16));

        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenWithABadSignatureIsRefusedEveryTimeAndNeverRemembered() {
        JwtDecoder tokens = VerifiedTokens.of(counting(signing), validator, Duration.ofMinutes(1), new SimpleMeterRegistry());
        String forged = token(rsa(), Duration.ofMinutes(15));

        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);

        assertThat(verifications).as("each attempt verified, none remembered").hasValue(2);
    }

    @Test
    void aVerificationIsReusedOnlyForTheReuseTime() {
        JwtDecoder tokens = VerifiedTokens.of(counting(signing), validator, Duration.ofMinutes(1), new SimpleMeterRegistry());
        String token = token(signing, Duration.ofMinutes(15));
        tokens.decode(token);

        // Caffeine's own clock decides the reuse time: wait it out briefly with a reuse time that short
        JwtDecoder shortReuse = VerifiedTokens.of(counting(signing), validator, Duration.ofMillis(50),
                new SimpleMeterRegistry());
        shortReuse.decode(token);
        sleep(200);
        shortReuse.decode(token);

        assertThat(verifications).as("one for the first decoder, two for the short reuse").hasValue(3);
    }

    @Test
    void aReuseTimeOfZeroVerifiesEveryRequest() {
        JwtDecoder tokens = VerifiedTokens.of(counting(signing), validator, Duration.ZERO, new SimpleMeterRegistry());
        String token = token(signing, Duration.ofMinutes(15));

        tokens.decode(token);
        tokens.decode(token);

        assertThat(verifications).hasValue(2);
    }

    private JwtDecoder counting(KeyPair keys) {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
        nimbus.setJwtValidator(validator);
        return token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
    }

    private OAuth2TokenValidator<Jwt> validator() {
        JwtTimestampValidator time = new JwtTimestampValidator(Duration.ZERO);
        time.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(time, new JwtIssuerValidator(ISSUER));
    }

    private String token(KeyPair keys, Duration lifetime) {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) keys.getPublic()).privateKey((RSAPrivateKey) keys.getPrivate())
                .keyID(UUID.randomUUID().toString()).build();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        Instant now = clock.instant();
        return encoder.encode(JwtEncoderParameters.from(JwtClaimsSet.builder().issuer(ISSUER).subject("staff")
                .audience(List.of("orderly")).issuedAt(now).expiresAt(now.plus(lifetime)).build())).getTokenValue();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
