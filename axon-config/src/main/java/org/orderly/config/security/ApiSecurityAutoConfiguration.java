package org.orderly.config.security;

import java.util.List;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.orderly.api.common.Actor.Role;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may call what. Orderly is an OAuth 2.0 resource server: every request but the public ones carries a JWT
 * access token from the configured issuer (or the embedded one), whose roles ({@link RoleMapping}) decide here
 * which operations it may call. Which <em>resources</em> it may touch is decided where the data is: handlers
 * receive the sender as an {@link org.orderly.api.common.Actor} in each message's metadata
 * ({@link ActorPropagation}) and answer another customer's resource as one that does not exist.
 * <p>
 * Any path without a rule below is refused, so an endpoint added without one cannot be called at all (and the
 * authorization matrix test, which walks the OpenAPI document, fails for it).
 */
@AutoConfiguration(afterName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecurityProperties.class)
@org.springframework.context.annotation.Import(DashboardSecurity.class)
public class ApiSecurityAutoConfiguration {

    /** One operation (or family of them) and the roles that may call it; no roles means public. */
    record Rule(HttpMethod method, String pattern, Role... roles) {
    }

    /** The role table, in one place; the README's table and the authorization matrix test follow it. */
    static final List<Rule> RULES = List.of(
            // public: sign-up, the catalog, the API's own documentation
            new Rule(HttpMethod.POST, "/api/customers"),
            new Rule(HttpMethod.GET, "/api/products"),
            new Rule(HttpMethod.GET, "/api/products/*"),
            new Rule(HttpMethod.GET, "/api/categories"),
            new Rule(HttpMethod.GET, "/api/categories/*"),
            // customers
            new Rule(HttpMethod.GET, "/api/customers", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/customers/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/customers/*/email", Role.CUSTOMER),
            new Rule(HttpMethod.PUT, "/api/customers/*/password", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/customers/*/deactivation", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/customers/*/erasure", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/customers/*/erasure", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/customers/*/export", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/customers/*/credit-limit", Role.STAFF),
            // a customer's address book: theirs to change, staff's to read (serving them, shipping to them)
            new Rule(HttpMethod.GET, "/api/customers/*/addresses", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/customers/*/addresses/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.POST, "/api/customers/*/addresses", Role.CUSTOMER),
            new Rule(HttpMethod.PUT, "/api/customers/*/addresses/*", Role.CUSTOMER),
            new Rule(HttpMethod.DELETE, "/api/customers/*/addresses/*", Role.CUSTOMER),
            // catalog and inventory
            new Rule(HttpMethod.POST, "/api/products", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/products/*/price", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/products/*/name", Role.STAFF),
            new Rule(HttpMethod.POST, "/api/products/*/discontinuation", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/products/*/category", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/products/*/attributes", Role.STAFF),
            new Rule(HttpMethod.POST, "/api/categories", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/categories/*/name", Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/categories/*/parent", Role.STAFF),
            new Rule(HttpMethod.DELETE, "/api/categories/*", Role.STAFF),
            new Rule(HttpMethod.POST, "/api/inventory/*/receipts", Role.STAFF),
            new Rule(HttpMethod.GET, "/api/inventory/*", Role.CUSTOMER, Role.STAFF),
            // orders, payments, shipments, notifications, returns
            new Rule(HttpMethod.POST, "/api/orders", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/orders/*/cancellation", Role.CUSTOMER),
            new Rule(HttpMethod.GET, "/api/orders", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/orders/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/payments", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/payments/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/shipments", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/shipments/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.POST, "/api/shipments/*/dispatch", Role.STAFF),
            new Rule(HttpMethod.POST, "/api/shipments/*/delivery", Role.STAFF),
            new Rule(HttpMethod.GET, "/api/notifications", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.POST, "/api/returns", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/returns/*/receipt", Role.STAFF),
            new Rule(HttpMethod.GET, "/api/returns", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.GET, "/api/returns/*", Role.CUSTOMER, Role.STAFF),
            // a customer's own cart; staff may read any
            new Rule(HttpMethod.POST, "/api/carts", Role.CUSTOMER),
            new Rule(HttpMethod.GET, "/api/carts/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.POST, "/api/carts/*/lines", Role.CUSTOMER),
            new Rule(HttpMethod.PUT, "/api/carts/*/lines/*", Role.CUSTOMER),
            new Rule(HttpMethod.DELETE, "/api/carts/*/lines/*", Role.CUSTOMER),
            new Rule(HttpMethod.DELETE, "/api/carts/*/lines", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/checkouts", Role.CUSTOMER),
            new Rule(HttpMethod.GET, "/api/checkouts/*", Role.CUSTOMER, Role.STAFF),
            new Rule(HttpMethod.PUT, "/api/checkouts/*/shipping-address", Role.CUSTOMER),
            new Rule(HttpMethod.PUT, "/api/checkouts/*/billing-address", Role.CUSTOMER),
            new Rule(HttpMethod.PUT, "/api/checkouts/*/shipping-method", Role.CUSTOMER),
            new Rule(HttpMethod.POST, "/api/checkouts/*/confirmation", Role.CUSTOMER),
            // workflows: staff follow them, operators retry them
            new Rule(HttpMethod.GET, "/api/workflows", Role.STAFF, Role.OPERATOR),
            new Rule(HttpMethod.GET, "/api/workflows/*", Role.STAFF, Role.OPERATOR),
            new Rule(HttpMethod.POST, "/api/workflows/*/retry", Role.OPERATOR),
            // operations
            new Rule(null, "/api/ops/**", Role.OPERATOR),
            // the data-access audit log: who reached whose personal data
            new Rule(HttpMethod.GET, "/api/audit", Role.OPERATOR),
            new Rule(null, "/ops", Role.OPERATOR),
            new Rule(null, "/ops/**", Role.OPERATOR));

    /**
     * No observation per security filter, authentication or authorization. Disabling them by property
     * ({@code management.observations.enable.spring.security=false}) still wraps every filter of every request
     * in an observation that a predicate then turns into a no-op: allocations and lookups on every request,
     * for spans nobody reads. Request metrics ({@code http.server.requests}) are not affected.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(10)
    SecurityFilterChain orderlyApi(HttpSecurity http) throws Exception {
        return http
                // bearer tokens are not sent by a browser on its own, so there is nothing for CSRF to forge
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll();
                    requests.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.OPERATOR.name());
                    requests.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                            "/error").permitAll();
                    RULES.forEach(rule -> apply(requests, rule));
                    requests.anyRequest().denyAll();
                })
                .oauth2ResourceServer(resource -> resource
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new RoleMapping()))
                        .authenticationEntryPoint(SecurityProblems.bearerEntryPoint())
                        .accessDeniedHandler(SecurityProblems.forbidden()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(SecurityProblems.bearerEntryPoint())
                        .accessDeniedHandler(SecurityProblems.forbidden()))
                .headers(headers -> headers
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                                        + "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")))
                .build();
    }

    /**
     * The roles that may call an operation, as the role table says: empty for a public operation, and
     * {@code null} when no rule names it (then nobody may call it). For the API document, so that each
     * operation declares what the filter chain enforces.
     */
    public static java.util.Set<Role> rolesFor(String method, String path) {
        org.springframework.util.AntPathMatcher paths = new org.springframework.util.AntPathMatcher();
        // the document writes path variables as {name}; the rules match them as *
        String concrete = path.replaceAll("\\{[^/]+}", "x");
        for (Rule rule : RULES) {
            if ((rule.method() == null || rule.method().name().equalsIgnoreCase(method))
                    && paths.match(rule.pattern(), concrete)) {
                return java.util.Set.of(rule.roles());
            }
        }
        return null;
    }

    private static void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests,
                              Rule rule) {
        var matcher = rule.method() == null ? requests.requestMatchers(rule.pattern())
                : requests.requestMatchers(rule.method(), rule.pattern());
        if (rule.roles().length == 0) {
            matcher.permitAll();
        } else {
            matcher.hasAnyRole(java.util.Arrays.stream(rule.roles()).map(Enum::name).toArray(String[]::new));
        }
    }

    /** An external issuer's tokens: keys and issuer from its discovery document, fetched on first use. */
    @Bean
    @ConditionalOnExpression("!'${orderly.security.issuer-uri:}'.isBlank()")
    JwtDecoder externalJwtDecoder(SecurityProperties security, ObjectProvider<MeterRegistry> meters) {
        OAuth2TokenValidator<Jwt> validator = tokenValidator(security.issuerUri(), security.audience());
        return VerifiedTokens.of(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(security.issuerUri()).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }), validator, security.verifiedTokenReuse(), meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    /** Signature aside, a token must be current, from the issuer, and meant for Orderly. */
    public static OAuth2TokenValidator<Jwt> tokenValidator(String issuer, String audience) {
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
    }

    /** Every command and query names its sender. */
    @Bean
    ConfigurerModule actorPropagation() {
        ActorPropagation interceptor = new ActorPropagation();
        return configurer -> configurer.onInitialize(config -> config.onStart(ActorPropagation.PHASE, () -> {
            config.commandBus().registerDispatchInterceptor(interceptor);
            config.queryBus().registerDispatchInterceptor(interceptor);
        }));
    }

    /**
     * The sender, copied from each command into the events it causes: who changed what. Configured after Axon's
     * auto-configuration, so that Axon's own origin and trace ids (registered only while no provider exists)
     * stay as well.
     */
    @Bean
    CorrelationDataProvider actorCorrelation() {
        return new SimpleCorrelationDataProvider(ActorPropagation.keys().toArray(String[]::new));
    }
}
