package org.orderly.config.security.issuer;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded issuer's RSA signing keys, kept in the identity store so that tokens stay valid across restarts
 * and every node of a cluster signs and verifies with the same keys. The first start creates one; when several
 * nodes start at once, the oldest key wins. The private key never leaves the identity schema but for this
 * node's memory, and is never logged.
 */
final class SigningKeys {

    private final JdbcTemplate jdbc;

    SigningKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every key, newest first (the first one signs); one is created when there is none. */
    JWKSet load() {
        List<JWK> keys = read();
        if (keys.isEmpty()) {
            create();
            keys = read();
        }
        return new JWKSet(keys);
    }

    private List<JWK> read() {
        List<JWK> keys = new ArrayList<>();
        jdbc.query("SELECT key_id, private_key, public_key FROM signing_key ORDER BY created_at DESC, key_id",
                rs -> {
                    keys.add(new RSAKey.Builder((RSAPublicKey) publicKey(rs.getString("public_key")))
                            .privateKey((RSAPrivateKey) privateKey(rs.getString("private_key")))
                            .keyID(rs.getString("key_id"))
                            .build());
                });
        return keys;
    }

    private void create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            // Created only while the table is empty: of nodes starting together, one key survives.
            jdbc.update("""
                    INSERT INTO signing_key (key_id, private_key, public_key)
                    SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_key)
                    """, UUID.randomUUID().toString(), base64.encodeToString(pair.getPrivate().getEncoded()),
                    base64.encodeToString(pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static java.security.PublicKey publicKey(String encoded) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("A stored public key cannot be read", e);
        }
    }

    private static java.security.PrivateKey privateKey(String encoded) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("A stored private key cannot be read", e);
        }
    }
}
