package org.orderly.config.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import org.orderly.config.OrderlyProperties;
import org.orderly.config.database.DatabaseAdministration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The operator endpoints ({@code /api/ops/**}), the dashboard ({@code /ops}) and every Actuator endpoint
 * but health need role OPERATOR, over HTTP Basic; everything else stays as open as it was. Stateless, so
 * no session and no CSRF token: nothing relies on cookies.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OperatorSecurity {

    static final String ROLE = "OPERATOR";
    private static final Logger log = LoggerFactory.getLogger(OperatorSecurity.class);

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
    SecurityFilterChain orderlySecurity(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(ROLE)
                        .requestMatchers("/api/ops/**", "/ops", "/ops/**").hasRole(ROLE)
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.realmName("Orderly operators").authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"Orderly operators\"");
                    problem(response, HttpStatus.UNAUTHORIZED, "Operator credentials are required");
                }))
                .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, e) ->
                        problem(response, HttpStatus.FORBIDDEN, "Role " + ROLE + " is required")))
                .build();
    }

    /**
     * One operator, from {@code orderly.operator.username} / {@code .password}. Without a configured
     * password a random one is generated at each start and logged once, so no default password ever works.
     */
    @Bean
    UserDetailsService operators(OrderlyProperties properties) {
        OrderlyProperties.Operator operator = properties.getOperator();
        if (operator.getPassword() == null || operator.getPassword().isBlank()) {
            operator.setPassword(DatabaseAdministration.generatePassword());
            log.warn("Operator login for /ops and /api/ops: {} / {} (generated for this run; set "
                    + "orderly.operator.password to choose one)", operator.getUsername(), operator.getPassword());
        }
        return new InMemoryUserDetailsManager(User.withUsername(operator.getUsername())
                .password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(operator.getPassword()))
                .roles(ROLE)
                .build());
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}");
    }
}
