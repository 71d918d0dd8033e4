package org.orderly.config.security.issuer;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.orderly.config.security.SecurityProperties;

/**
 * The embedded issuer's two clients: {@code orderly-cli} (public, password grant: a token with one {@code curl})
 * and {@code orderly-dashboard}, this node's own operator dashboard (confidential, authorization code). The
 * dashboard's secret is made at each start and never leaves the node; its redirect addresses are this node's own,
 * known once the web server has its port, plus any configured (a reverse proxy's).
 */
final class IssuerClients implements RegisteredClientRepository {

    static final String CLI = "orderly-cli";
    static final String DASHBOARD = "orderly-dashboard";

    private final SecurityProperties security;
    private final ApplicationContext context;
    private final String dashboardSecret = UUID.randomUUID().toString();
    private final PasswordEncoder passwords;
    private final RegisteredClient cli;
    private volatile RegisteredClient dashboard;

    IssuerClients(SecurityProperties security, ApplicationContext context, PasswordEncoder passwords) {
        this.security = security;
        this.context = context;
        this.passwords = passwords;
        this.cli = RegisteredClient.withId(CLI)
                .clientId(CLI)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(PasswordGrant.TYPE)
                .tokenSettings(tokenSettings())
                .build();
    }

    String dashboardSecret() {
        return dashboardSecret;
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private TokenSettings tokenSettings() {
        return TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(security.embedded().accessTokenTtl())
                .build();
    }

    private RegisteredClient dashboard() {
        if (dashboard == null) {
            synchronized (this) {
                if (dashboard == null) {
                    List<String> redirects = new ArrayList<>(List.of(
                            "http://localhost:" + port() + "/login/oauth2/code/orderly",
                            "http://127.0.0.1:" + port() + "/login/oauth2/code/orderly"));
                    if (security.embedded().dashboardRedirectUris() != null) {
                        redirects.addAll(security.embedded().dashboardRedirectUris());
                    }
                    dashboard = RegisteredClient.withId(DASHBOARD)
                            .clientId(DASHBOARD)
                            // hashed here, at the dashboard's first sign-in, not during start-up
                            .clientSecret(passwords.encode(dashboardSecret))
                            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                            .redirectUris(uris -> uris.addAll(redirects))
                            .scope(OidcScopes.OPENID)
                            .clientSettings(ClientSettings.builder().requireProofKey(true)
                                    .requireAuthorizationConsent(false).build())
                            .tokenSettings(tokenSettings())
                            .build();
                }
            }
        }
        return dashboard;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("The embedded issuer's clients are fixed");
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return switch (clientId) {
            case CLI -> cli;
            case DASHBOARD -> dashboard();
            default -> null;
        };
    }
}
