package org.orderly.api.common;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who sends a message: the subject of the caller's token, its roles, and for a customer the customer they are.
 * It travels in every command's and query's metadata (and from a command into the events it causes), so a
 * handler that knows a resource's owner decides whether the sender may see or change it, and the event store
 * answers who changed what. The subject is an opaque id, never an email or a name.
 *
 * @param subject    the token's subject, or {@code null} for an anonymous caller
 * @param roles      what the caller may do; empty for an anonymous caller
 * @param customerId the customer the caller is, for role {@link Role#CUSTOMER}; otherwise {@code null}
 */
public record Actor(String subject, Set<Role> roles, UUID customerId) {

    /** The metadata keys an actor travels under. */
    public static final String SUBJECT = "actorSubject";
    public static final String ROLES = "actorRoles";
    public static final String CUSTOMER = "actorCustomerId";

    /** Orderly itself: sagas, deadlines, schedulers. */
    public static final Actor SYSTEM = new Actor("orderly", Set.of(Role.SYSTEM), null);
    /** A caller without credentials, and any message that carries no actor: it owns nothing and sees nothing owned. */
    public static final Actor ANONYMOUS = new Actor(null, Set.of(), null);

    public enum Role {
        /** Their own customer record, orders, payments, shipments, notifications and returns. */
        CUSTOMER,
        /** Catalog, inventory, shipping, returns receipt, credit limits; reads every business resource. */
        STAFF,
        /** Operations: processors, dead letters, replays, workflows; no business data implied. */
        OPERATOR,
        /** Orderly acting on its own behalf. */
        SYSTEM
    }

    public Actor {
        roles = roles == null || roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Staff and Orderly itself see every customer's business resources. */
    public boolean seesEveryCustomer() {
        return has(Role.STAFF) || has(Role.SYSTEM);
    }

    /**
     * Whether this actor may see (or act on) a resource owned by {@code owner}. Anything else must look to the
     * actor exactly as if it did not exist.
     */
    public boolean mayAccess(UUID owner) {
        return seesEveryCustomer() || (has(Role.CUSTOMER) && customerId != null && customerId.equals(owner));
    }

    /**
     * Refuses, as "not found", an actor who may not access a resource owned by {@code owner}: to anyone but its
     * owner (and staff) another customer's resource answers exactly as one that does not exist.
     *
     * @param id the resource's id, named in the refusal as an unknown id is
     */
    public void requireAccess(UUID owner, Object id) {
        if (!mayAccess(owner)) {
            throw new RefusedException(Refusal.notFound("No resource with id " + id));
        }
    }

    /**
     * The customer a list is limited to when this actor asks for {@code requested} (which may be {@code null}
     * for "every customer"): the requested one for staff, the actor's own for a customer. Empty when the
     * actor may see nothing of what was asked (another customer's items, or no customer role at all).
     */
    public ListScope listScope(UUID requested) {
        if (seesEveryCustomer()) {
            return new ListScope(true, requested);
        }
        if (has(Role.CUSTOMER) && customerId != null && (requested == null || requested.equals(customerId))) {
            return new ListScope(true, customerId);
        }
        return ListScope.NOTHING;
    }

    /**
     * @param visible  whether the list can contain anything at all
     * @param customer the customer whose items to list, or {@code null} for every customer's
     */
    public record ListScope(boolean visible, UUID customer) {
        public static final ListScope NOTHING = new ListScope(false, null);
    }

    /** This actor as message metadata. */
    public Map<String, String> toMetaData() {
        Map<String, String> metaData = new LinkedHashMap<>();
        if (subject != null) {
            metaData.put(SUBJECT, subject);
        }
        metaData.put(ROLES, roles.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        if (customerId != null) {
            metaData.put(CUSTOMER, customerId.toString());
        }
        return metaData;
    }

    /** The actor a message's metadata names; {@link #ANONYMOUS} when it names none. */
    public static Actor fromMetaData(Map<String, ?> metaData) {
        Object roles = metaData.get(ROLES);
        if (roles == null) {
            return ANONYMOUS;
        }
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        Arrays.stream(roles.toString().split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(r -> parsed.add(Role.valueOf(r)));
        Object subject = metaData.get(SUBJECT);
        Object customer = metaData.get(CUSTOMER);
        return new Actor(subject == null ? null : subject.toString(), parsed,
                customer == null ? null : UUID.fromString(customer.toString()));
    }

    public static Actor customer(String subject, UUID customerId) {
        return new Actor(subject, Set.of(Role.CUSTOMER), customerId);
    }

    @Override
    public String toString() {
        return "Actor[" + subject + " " + roles + "]";
    }
}
