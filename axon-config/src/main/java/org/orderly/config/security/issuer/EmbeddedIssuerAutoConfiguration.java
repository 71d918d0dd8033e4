package org.orderly.config.security.issuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.orderly.api.common.Actor;
import org.orderly.config.database.DatabaseAdministration;
import org.orderly.config.database.DatabaseProperties;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.security.RoleMapping;
import org.orderly.config.security.SecurityProblems;
import org.orderly.config.security.SecurityProperties;
import org.orderly.config.security.VerifiedTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The embedded OpenID Connect issuer (Spring Authorization Server), hosted by a node configured without an
 * external issuer, so that the all-in-one run is a complete, secured system with nothing else to start. Its
 * accounts and signing keys live in the identity domain store (schema {@code identity}, its own role, pool and
 * Flyway history), so tokens survive restarts and every node verifies the same keys.
 * <p>
 * Clients: {@code orderly-cli}, public, password grant only (a person's token with one {@code curl}). Named
 * accounts {@code staff} and {@code operator} are created on the first start, with passwords from
 * {@code orderly.security.embedded.*-password} or generated and written to an owner-only accounts file.
 */
@AutoConfiguration(afterName = "org.orderly.config.domainstore.DomainStoreAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnExpression("'${orderly.security.issuer-uri:}'.isBlank()")
@EnableConfigurationProperties(SecurityProperties.class)
public class EmbeddedIssuerAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedIssuerAutoConfiguration.class);

    @Bean
    DomainStoreDefinition identityDomainStore() {
        return IdentityStore.definition();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        // bcrypt today, behind the {id} prefix so that a stronger hash can take over as people log in
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    Accounts identityAccounts(DomainStores stores, PasswordEncoder passwords, SecurityProperties security,
                              DatabaseProperties orderly) {
        Accounts accounts = new Accounts(stores.get(IdentityStore.DOMAIN).jdbc(), passwords);
        createNamedAccounts(accounts, security.embedded(), orderly);
        return accounts;
    }

    @Bean
    IdentityLoginsProjection identityLoginsProjection(Accounts accounts) {
        return new IdentityLoginsProjection(accounts);
    }

    @Bean
    IdentityDataExport identityDataExport(DomainStores stores) {
        return new IdentityDataExport(stores.get(IdentityStore.DOMAIN).jdbc());
    }

    @Bean
    JWKSource<SecurityContext> issuerKeys(DomainStores stores) {
        com.nimbusds.jose.jwk.JWKSet keys = new SigningKeys(stores.get(IdentityStore.DOMAIN).jdbc()).load();
        return (selector, context) -> selector.select(keys);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties security,
                                                            @Value("${server.port:8080}") int port) {
        return AuthorizationServerSettings.builder().issuer(issuer(security, port)).build();
    }

    static String issuer(SecurityProperties security, int port) {
        String configured = security.embedded().issuer();
        return configured == null || configured.isBlank() ? "http://localhost:" + port : configured;
    }

    @Bean
    IssuerClients registeredClients(SecurityProperties security, ApplicationContext context, PasswordEncoder passwords) {
        return new IssuerClients(security, context, passwords);
    }

    /**
     * The dashboard's side of its sign-in: a client of this node's own issuer. The browser is sent to a relative
     * address (so it stays on whichever host name it used); the code is exchanged and the keys read over loopback.
     */
    @Bean
    ClientRegistrationRepository embeddedDashboardClient(IssuerClients clients, AuthorizationServerSettings settings) {
        return new org.orderly.config.security.DashboardSecurity.LazyRegistration(() -> {
            String local = "http://localhost:" + clients.port();
            return ClientRegistration.withRegistrationId("orderly")
                    .clientId(IssuerClients.DASHBOARD)
                    .clientSecret(clients.dashboardSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope("openid")
                    .authorizationUri("/oauth2/authorize")
                    .tokenUri(local + "/oauth2/token")
                    .jwkSetUri(local + "/oauth2/jwks")
                    .issuerUri(settings.getIssuer())
                    .userNameAttributeName("sub")
                    .build();
        });
    }

    /** Orderly's claims: the audience, the roles, and a customer's id as the subject; never an email or a name. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> orderlyClaims(SecurityProperties security) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            context.getClaims().audience(List.of(security.audience()));
            if (context.getPrincipal().getPrincipal() instanceof Accounts.Account account) {
                context.getClaims().subject(account.subject());
                context.getClaims().claim(RoleMapping.ROLES_CLAIM,
                        account.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
                if (account.customerId() != null) {
                    context.getClaims().claim(RoleMapping.CUSTOMER_ID_CLAIM, account.customerId().toString());
                }
            }
        };
    }

    @Bean
    OAuth2TokenGenerator<?> issuerTokenGenerator(JWKSource<SecurityContext> keys,
                                                 OAuth2TokenCustomizer<JwtEncodingContext> claims) {
        JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(keys));
        jwt.setJwtCustomizer(claims);
        return new DelegatingOAuth2TokenGenerator(jwt);
    }

    /** This node's own tokens, verified with the same keys, issuer and audience rules as an external issuer's. */
    @Bean
    JwtDecoder embeddedJwtDecoder(JWKSource<SecurityContext> keys, AuthorizationServerSettings settings,
                                  SecurityProperties security, MeterRegistry meters) {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
        OAuth2TokenValidator<Jwt> validator = org.orderly.config.security.ApiSecurityAutoConfiguration
                .tokenValidator(settings.getIssuer(), security.audience());
        decoder.setJwtValidator(validator);
        return VerifiedTokens.of(decoder, validator, security.verifiedTokenReuse(), meters);
    }

    @Bean
    LoginThrottle loginThrottle(MeterRegistry meters) {
        return new LoginThrottle(meters);
    }

    /** The issuer's endpoints (token, keys, discovery), before every other chain. */
    @Bean
    @Order(1)
    SecurityFilterChain issuerEndpoints(HttpSecurity http, IssuerClients clients, Accounts accounts,
                                        LoginThrottle throttle, OAuth2TokenGenerator<?> tokens) throws Exception {
        OAuth2AuthorizationServerConfigurer issuer = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(issuer.getEndpointsMatcher())
                .with(issuer, as -> as
                        .tokenGenerator(tokens)
                        .oidc(oidc -> { })
                        .clientAuthentication(client -> client
                                .authenticationConverter(new PasswordGrant.PublicClientConverter())
                                .authenticationProvider(new PasswordGrant.PublicClientProvider(clients)))
                        .tokenEndpoint(token -> token
                                .accessTokenRequestConverter(new PasswordGrant.RequestConverter())
                                .authenticationProvider(new PasswordGrant.Provider(accounts, throttle, tokens))
                                .errorResponseHandler((request, response, e) -> tokenError(response, e))))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(issuer.getEndpointsMatcher()))
                .securityContext(context -> context.securityContextRepository(signedIn()))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(IssuerLoginPage.PATH),
                                new MediaTypeRequestMatcher(MediaType.TEXT_HTML))
                        .defaultAuthenticationEntryPointFor(SecurityProblems.bearerEntryPoint(), request -> true));
        return http.build();
    }

    /**
     * The sign-in page of the authorization code flow. Whoever signs in here is known to the issuer under a
     * session key of its own, apart from the dashboard's session as a client, so the two never overwrite each other.
     */
    @Bean
    @Order(2)
    SecurityFilterChain issuerSignIn(HttpSecurity http, Accounts accounts, LoginThrottle throttle) throws Exception {
        return http
                .securityMatcher(IssuerLoginPage.PATH)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .authenticationProvider(new AccountLogin(accounts, throttle))
                .securityContext(context -> context.securityContextRepository(signedIn()))
                .formLogin(form -> form.loginPage(IssuerLoginPage.PATH).loginProcessingUrl(IssuerLoginPage.PATH)
                        .failureUrl(IssuerLoginPage.PATH + "?error"))
                .addFilterBefore(new org.springframework.web.filter.OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                                                    HttpServletResponse response, jakarta.servlet.FilterChain chain)
                            throws jakarta.servlet.ServletException, IOException {
                        if ("GET".equals(request.getMethod())) {
                            IssuerLoginPage.write(request, response);
                            return;
                        }
                        chain.doFilter(request, response);
                    }
                }, UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")))
                .build();
    }

    private static HttpSessionSecurityContextRepository signedIn() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey("ORDERLY_ISSUER_SIGN_IN");
        return repository;
    }


    /** RFC 6749's error answer, with 429 and {@code Retry-After} when failed logins are being throttled. */
    private static void tokenError(HttpServletResponse response, org.springframework.security.core.AuthenticationException e)
            throws IOException {
        if (e instanceof PasswordGrant.TooManyAttempts tooMany) {
            response.setHeader("Retry-After", String.valueOf(tooMany.wait.toSeconds() + 1));
            SecurityProblems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins; retry later");
            return;
        }
        String code = e instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : "invalid_request";
        String description = e instanceof OAuth2AuthenticationException oauth ? oauth.getError().getDescription() : null;
        response.setStatus("invalid_client".equals(code) ? 401 : 400);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"error\":\"" + code + "\"" + (description == null ? ""
                : ",\"error_description\":\"" + description.replace("\"", "'") + "\"") + "}");
    }

    private static void createNamedAccounts(Accounts accounts, SecurityProperties.Embedded settings,
                                            DatabaseProperties orderly) {
        List<String> generated = new ArrayList<>();
        named(accounts, "staff", Actor.Role.STAFF, settings.staffPassword(), generated);
        named(accounts, "operator", Actor.Role.OPERATOR, settings.operatorPassword(), generated);
        if (!generated.isEmpty()) {
            Path file = accountsFile(settings, orderly);
            writeOwnerOnly(file, generated);
            // the path only: the passwords themselves never reach a log
            log.info("Created the staff and operator accounts; their passwords are in {}", file.toAbsolutePath());
        }
    }

    private static void named(Accounts accounts, String name, Actor.Role role, String configured,
                              List<String> generated) {
        boolean configuredPassword = configured != null && !configured.isBlank();
        String password = configuredPassword ? configured : DatabaseAdministration.generatePassword();
        if (accounts.ensureNamed(name, role, password) && !configuredPassword) {
            generated.add(name + ".password=" + password);
        }
    }

    static Path accountsFile(SecurityProperties.Embedded settings, DatabaseProperties orderly) {
        if (settings.accountsFile() != null && !settings.accountsFile().isBlank()) {
            return Path.of(settings.accountsFile());
        }
        Path data = orderly.embedded().dataDirectory().toAbsolutePath();
        return data.getParent() == null ? Path.of("accounts.properties") : data.getParent().resolve("accounts.properties");
    }

    private static void writeOwnerOnly(Path file, List<String> lines) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                }
            }
            List<String> content = new ArrayList<>(Files.readAllLines(file));
            content.removeIf(line -> lines.stream().anyMatch(l -> line.startsWith(l.substring(0, l.indexOf('=') + 1))));
            content.addAll(lines);
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the accounts file " + file, e);
        }
    }
}
