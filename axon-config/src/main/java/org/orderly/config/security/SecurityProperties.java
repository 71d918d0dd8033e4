package org.orderly.config.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.security.*}: where tokens come from and what they must say.
 *
 * @param issuerUri the OpenID Connect issuer whose JWT access tokens Orderly accepts (Keycloak, Auth0, Entra ID,
 *                  ...), discovered through its {@code /.well-known/openid-configuration}. When empty, the node hosts
 *                  an issuer of its own (the embedded default) and accepts only its tokens.
 * @param audience  the audience every access token must name ({@code aud}); the embedded issuer puts it there, an
 *                  external provider needs an audience mapper for it
 * @param embedded  the embedded issuer, used when {@code issuerUri} is empty
 * @param dashboard how the operator dashboard signs in at an external issuer
 * @param verifiedTokenReuse how long an access token whose signature was verified is accepted again without
 *                  verifying it anew (its expiry, issuer and audience are checked on every request); also how long a
 *                  token signed with a key the issuer has withdrawn may still be accepted once seen. 0 verifies every
 *                  request's token
 */
@ConfigurationProperties("orderly.security")
public record SecurityProperties(String issuerUri,
                                 @DefaultValue("orderly") String audience,
                                 @DefaultValue Embedded embedded,
                                 @DefaultValue Dashboard dashboard,
                                 @DefaultValue("PT1M") Duration verifiedTokenReuse) {

    public boolean external() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    /**
     * @param clientId     the dashboard's client at the external issuer (authorization code flow)
     * @param clientSecret its secret; empty for a public client, which then uses PKCE
     */
    public record Dashboard(@DefaultValue("orderly-dashboard") String clientId, String clientSecret) {
    }

    /**
     * @param issuer           the issuer name the embedded issuer signs into its tokens ({@code iss}); defaults to
     *                         {@code http://localhost:<server.port>}
     * @param accessTokenTtl   how long an access token it issues is valid
     * @param staffPassword    the password of the {@code staff} account, set when the account is first created;
     *                         when empty a random one is generated and written to the accounts file
     * @param operatorPassword the same for the {@code operator} account
     * @param dashboardRedirectUris where the issuer may send the dashboard's browser back to, besides
     *                         {@code http://localhost:<port>} and {@code http://127.0.0.1:<port>} (e.g. the address of a
     *                         reverse proxy: {@code https://orderly.example.com/login/oauth2/code/orderly})
     * @param accountsFile     where generated passwords of the first start are written, readable by the owner only;
     *                         defaults to {@code accounts.properties} beside the embedded database's data directory
     *                         (or the working directory with an external database)
     */
    public record Embedded(String issuer,
                           @DefaultValue("PT15M") Duration accessTokenTtl,
                           String staffPassword,
                           String operatorPassword,
                           java.util.List<String> dashboardRedirectUris,
                           String accountsFile) {
    }
}
