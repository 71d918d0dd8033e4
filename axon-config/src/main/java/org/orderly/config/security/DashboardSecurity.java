package org.orderly.config.security;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The operator dashboard signs in through the same identity as the API: the browser flow of OpenID Connect
 * (authorization code) against the configured issuer, or the embedded one. The session that results lives in
 * a cookie, so every state-changing request the page makes carries a CSRF token (a cookie the page's script
 * reads and sends back as {@code X-XSRF-TOKEN}, the double-submit pattern). The operator role comes from the
 * access token, read by the same {@link RoleMapping} as API tokens.
 * <p>
 * The page's own calls to {@code /api/ops/**} go through this chain only when they carry the session and no
 * bearer token; an API client with a token, or with nothing at all, meets the API chain.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardSecurity {

    static final String REGISTRATION = "orderly";

    /** The dashboard's pages, the sign-in round trip, and the page's own calls made with its session. */
    static RequestMatcher dashboardRequests() {
        return request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.equals("/ops") || path.startsWith("/ops/") || path.startsWith("/oauth2/authorization/")
                    || path.startsWith("/login/oauth2/code/") || path.equals("/ops-logout")) {
                return true;
            }
            return path.startsWith("/api/ops/") && request.getHeader("Authorization") == null
                    && request.getRequestedSessionId() != null;
        };
    }

    @Bean
    @Order(3)
    SecurityFilterChain operatorDashboard(HttpSecurity http, ClientRegistrationRepository clients,
                                          JwtDecoder tokens) throws Exception {
        CsrfTokenRequestAttributeHandler plainToken = new CsrfTokenRequestAttributeHandler();
        // PKCE for the dashboard too, although it is a confidential client: OAuth 2.1 asks it of every client
        DefaultOAuth2AuthorizationRequestResolver withPkce =
                new DefaultOAuth2AuthorizationRequestResolver(clients, "/oauth2/authorization");
        withPkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return http
                .securityMatcher(dashboardRequests())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/oauth2/authorization/**", "/login/oauth2/code/**").permitAll()
                        .anyRequest().hasRole(org.orderly.api.common.Actor.Role.OPERATOR.name()))
                .oauth2Login(login -> login
                        .clientRegistrationRepository(clients)
                        .loginPage("/oauth2/authorization/" + REGISTRATION)
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(withPkce))
                        .defaultSuccessUrl("/ops", true)
                        .userInfoEndpoint(user -> user.oidcUserService(rolesFromAccessToken(tokens))))
                .logout(logout -> logout.logoutUrl("/ops-logout").logoutSuccessUrl("/ops"))
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(plainToken))
                .addFilterAfter(new CsrfCookie(), org.springframework.security.web.csrf.CsrfFilter.class)
                .exceptionHandling(errors -> errors.accessDeniedHandler(SecurityProblems.forbidden()))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                                + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                                + "form-action 'self'; base-uri 'none'")))
                .build();
    }

    /** Roles as the access token grants them, not as the ID token happens to list (Keycloak's lists none). */
    static OAuth2UserService<OidcUserRequest, OidcUser> rolesFromAccessToken(JwtDecoder tokens) {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            Set<GrantedAuthority> authorities = new HashSet<>(user.getAuthorities());
            authorities.addAll(RoleMapping.authorities(RoleMapping.roles(
                    tokens.decode(request.getAccessToken().getTokenValue()))));
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "sub");
        };
    }

    /** An external issuer's dashboard client, discovered from the issuer on first use. */
    @Bean
    @ConditionalOnExpression("!'${orderly.security.issuer-uri:}'.isBlank()")
    ClientRegistrationRepository externalDashboardClient(SecurityProperties security) {
        return new LazyRegistration(() -> {
            ClientRegistration.Builder builder = ClientRegistrations.fromIssuerLocation(security.issuerUri())
                    .registrationId(REGISTRATION)
                    .clientId(security.dashboard().clientId())
                    .scope("openid")
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE);
            String secret = security.dashboard().clientSecret();
            if (secret == null || secret.isBlank()) {
                // a public client: Spring Security adds PKCE
                builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
            } else {
                builder.clientSecret(secret).clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            }
            return builder.build();
        });
    }

    /** One client registration, built when first asked for (the issuer need not answer while Orderly starts). */
    public static final class LazyRegistration implements ClientRegistrationRepository {
        private final java.util.function.Supplier<ClientRegistration> registration;
        private volatile ClientRegistration built;

        public LazyRegistration(java.util.function.Supplier<ClientRegistration> registration) {
            this.registration = registration;
        }

        @Override
        public ClientRegistration findByRegistrationId(String registrationId) {
            if (!REGISTRATION.equals(registrationId)) {
                return null;
            }
            if (built == null) {
                synchronized (this) {
                    if (built == null) {
                        built = registration.get();
                    }
                }
            }
            return built;
        }
    }

    /** Loads the deferred CSRF token on every request, so its cookie is there for the page's script to read. */
    private static final class CsrfCookie extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
