package org.orderly.config.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.orderly.api.common.Actor;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The one place where a token's claims become Orderly roles and a customer id. Providers put roles in different
 * claims, so all of these are read: {@code roles} (the embedded issuer, Auth0 and Entra ID app roles),
 * {@code realm_access.roles} (Keycloak realm roles) and {@code scope}/{@code scp} entries prefixed
 * {@code orderly.} (e.g. {@code orderly.staff}). Role names are matched case-insensitively, with or without an
 * {@code orderly-} or {@code ROLE_} prefix; anything else is ignored.
 * <p>
 * A customer's customer id is the {@code customer_id} claim when the token has one (the embedded issuer adds
 * it); otherwise the subject when it is a UUID (Keycloak's are); otherwise a name-based UUID of issuer and
 * subject, so that a provider's opaque subjects still give each person one stable customer id.
 */
public final class RoleMapping implements Converter<Jwt, AbstractAuthenticationToken> {

    public static final String ROLES_CLAIM = "roles";
    public static final String CUSTOMER_ID_CLAIM = "customer_id";
    private static final String AUTHORITY_PREFIX = "ROLE_";

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, authorities(roles(jwt)), jwt.getSubject());
    }

    /** The Orderly roles a token grants. */
    public static Set<Actor.Role> roles(Jwt jwt) {
        Set<Actor.Role> roles = EnumSet.noneOf(Actor.Role.class);
        names(jwt.getClaims().get(ROLES_CLAIM)).forEach(name -> role(name, roles));
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realm) {
            names(realm.get("roles")).forEach(name -> role(name, roles));
        }
        for (String claim : List.of("scope", "scp")) {
            for (String scope : names(jwt.getClaims().get(claim))) {
                if (scope.toLowerCase(Locale.ROOT).startsWith("orderly.")) {
                    role(scope.substring("orderly.".length()), roles);
                }
            }
        }
        return roles;
    }

    /** The actor a validated token stands for. */
    public static Actor actor(Jwt jwt) {
        Set<Actor.Role> roles = roles(jwt);
        return new Actor(jwt.getSubject(), roles, roles.contains(Actor.Role.CUSTOMER) ? customerId(jwt) : null);
    }

    static UUID customerId(Jwt jwt) {
        Object claim = jwt.getClaims().get(CUSTOMER_ID_CLAIM);
        String subject = jwt.getSubject();
        try {
            if (claim != null) {
                return UUID.fromString(claim.toString());
            }
            return UUID.fromString(subject);
        } catch (IllegalArgumentException notAUuid) {
            String issuer = jwt.getIssuer() == null ? "" : jwt.getIssuer().toString();
            return UUID.nameUUIDFromBytes((issuer + "#" + subject).getBytes(StandardCharsets.UTF_8));
        }
    }

    public static Collection<GrantedAuthority> authorities(Set<Actor.Role> roles) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        roles.forEach(role -> authorities.add(new SimpleGrantedAuthority(AUTHORITY_PREFIX + role.name())));
        return authorities;
    }

    /** The roles in a set of granted authorities (as {@code ROLE_STAFF} and the like). */
    public static Set<Actor.Role> roles(Collection<? extends GrantedAuthority> authorities) {
        Set<Actor.Role> roles = EnumSet.noneOf(Actor.Role.class);
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith(AUTHORITY_PREFIX)) {
                role(name.substring(AUTHORITY_PREFIX.length()), roles);
            }
        }
        return roles;
    }

    private static void role(String name, Set<Actor.Role> roles) {
        String normalized = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (String prefix : List.of(AUTHORITY_PREFIX, "ORDERLY_")) {
            if (normalized.startsWith(prefix)) {
                normalized = normalized.substring(prefix.length());
            }
        }
        switch (normalized) {
            case "CUSTOMER" -> roles.add(Actor.Role.CUSTOMER);
            case "STAFF" -> roles.add(Actor.Role.STAFF);
            case "OPERATOR" -> roles.add(Actor.Role.OPERATOR);
            default -> {
                // a provider's own roles (offline_access, uma_authorization, ...) mean nothing here
            }
        }
    }

    private static List<String> names(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String value) {
            return List.of(value.split("[ ,]+"));
        }
        return List.of();
    }
}
