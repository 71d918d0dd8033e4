package org.orderly.config.security;

import java.util.Set;

import org.orderly.api.common.Actor;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The actor of the request being served on this thread. */
public final class Actors {

    private Actors() {
    }

    /**
     * The caller of the current request: the token's actor, {@link Actor#ANONYMOUS} for a request without
     * credentials, or {@code null} when this thread serves no request at all (a processor, a scheduler).
     */
    public static Actor current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return null;
        }
        if (authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
            return Actor.ANONYMOUS;
        }
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return RoleMapping.actor(jwt.getToken());
        }
        // a browser session of the dashboard: roles only, never a customer
        Set<Actor.Role> roles = RoleMapping.roles(authentication.getAuthorities());
        roles.remove(Actor.Role.CUSTOMER);
        return new Actor(authentication.getName(), roles, null);
    }
}
