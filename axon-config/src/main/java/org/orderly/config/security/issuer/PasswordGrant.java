package org.orderly.config.security.issuer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * The resource owner password grant, for Orderly's own command-line client only ({@code orderly-cli}, a public
 * client): a person's login and password in exchange for an access token, which is what lets a newcomer get a
 * token with one {@code curl}. Spring Authorization Server leaves this grant out (OAuth 2.1 drops it for
 * third-party clients); it is added here as an extension grant and enabled for no other client. Browsers use
 * the authorization code flow instead. Failed attempts are throttled per login and per client address, and
 * logged without the login itself (an email is personal data): by a short fingerprint.
 */
final class PasswordGrant {

    static final AuthorizationGrantType TYPE = new AuthorizationGrantType("password");

    private PasswordGrant() {
    }

    /** A password grant request, after its client was identified. */
    static final class Request extends OAuth2AuthorizationGrantAuthenticationToken {
        private final String login;
        private final String password;
        private final String address;

        Request(Authentication client, String login, String password, String address) {
            super(TYPE, client, Map.of());
            this.login = login;
            this.password = password;
            this.address = address;
        }

        @Override
        public Object getCredentials() {
            return "";
        }
    }

    /** Reads {@code grant_type=password&username=...&password=...} from the token endpoint's form. */
    static final class RequestConverter implements AuthenticationConverter {
        @Override
        public Authentication convert(HttpServletRequest request) {
            if (!TYPE.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
                return null;
            }
            String login = request.getParameter(OAuth2ParameterNames.USERNAME);
            String password = request.getParameter(OAuth2ParameterNames.PASSWORD);
            if (!StringUtils.hasText(login) || !StringUtils.hasText(password)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "username and password are required", null));
            }
            return new Request(SecurityContextHolder.getContext().getAuthentication(), login, password,
                    request.getRemoteAddr());
        }
    }

    /**
     * Identifies a public client that sends only its {@code client_id} with a password grant (Spring Authorization
     * Server accepts public clients only with PKCE, which this grant has no use for).
     */
    static final class PublicClientConverter implements AuthenticationConverter {
        @Override
        public Authentication convert(HttpServletRequest request) {
            if (!TYPE.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
                    || request.getHeader("Authorization") != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null) {
                return null;
            }
            String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
            if (!StringUtils.hasText(clientId)) {
                return null;
            }
            return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null, null);
        }
    }

    /** Accepts a public client registered for the password grant. */
    static final class PublicClientProvider implements org.springframework.security.authentication.AuthenticationProvider {
        private final RegisteredClientRepository clients;

        PublicClientProvider(RegisteredClientRepository clients) {
            this.clients = clients;
        }

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
            if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())) {
                return null;
            }
            RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
            if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
                    || !client.getAuthorizationGrantTypes().contains(TYPE)) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
            }
            return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    /** Verifies the password and issues the access token, through the issuer's own token generator. */
    static final class Provider implements org.springframework.security.authentication.AuthenticationProvider {
        private final Accounts accounts;
        private final LoginThrottle throttle;
        private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

        Provider(Accounts accounts, LoginThrottle throttle, OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
            this.accounts = accounts;
            this.throttle = throttle;
            this.tokens = tokens;
        }

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            Request request = (Request) authentication;
            if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                    || client.getRegisteredClient() == null) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
            }
            RegisteredClient registered = client.getRegisteredClient();
            if (!registered.getAuthorizationGrantTypes().contains(TYPE)) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
            }
            Accounts.Account account;
            try {
                account = throttle.attempt(accounts, request.login, request.password, request.address);
            } catch (LoginThrottle.Throttled throttled) {
                throw new TooManyAttempts(throttled.wait);
            }
            if (account == null) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The login or password is wrong", null));
            }
            Authentication person = UsernamePasswordAuthenticationToken.authenticated(account, null,
                    org.orderly.config.security.RoleMapping.authorities(account.roles()));
            Set<String> scopes = registered.getScopes();
            OAuth2Token generated = tokens.generate(DefaultOAuth2TokenContext.builder()
                    .registeredClient(registered)
                    .principal(person)
                    .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                    .authorizedScopes(scopes)
                    .tokenType(OAuth2TokenType.ACCESS_TOKEN)
                    .authorizationGrantType(TYPE)
                    .authorizationGrant(request)
                    .build());
            if (generated == null) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                        "The access token could not be generated", null));
            }
            OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                    generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
            return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken, null, new HashMap<>());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return Request.class.isAssignableFrom(authentication);
        }
    }

    /** Too many failed logins: answered 429 with {@code Retry-After}. */
    static final class TooManyAttempts extends OAuth2AuthenticationException {
        final Duration wait;

        TooManyAttempts(Duration wait) {
            super(new OAuth2Error("too_many_attempts", "Too many failed logins; retry later", null));
            this.wait = wait;
        }
    }
}
