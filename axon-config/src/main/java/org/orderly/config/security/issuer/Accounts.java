package org.orderly.config.security.issuer;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.orderly.api.common.Actor;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.security.CustomerCredentials;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The identity store's accounts: customers' logins (their email) and the named accounts of staff and operators,
 * each with an adaptive password hash. Verifying an unknown login costs a hash comparison too, so the answer's
 * timing does not tell which logins exist.
 */
final class Accounts implements CustomerCredentials {

    /**
     * One account as the issuer needs it. As a principal it is named by its subject, and it prints nothing else:
     * the login is an email for customers, and the hash is a secret.
     */
    record Account(String subject, String login, String passwordHash, Set<Actor.Role> roles, UUID customerId,
                   boolean enabled) implements java.security.Principal {
        @Override
        public String getName() {
            return subject;
        }

        @Override
        public String toString() {
            return "Account[" + subject + " " + roles + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwords;
    /**
     * What an unknown login's password is checked against, so that it costs what a known one's does. Hashed at the
     * first verification rather than at start: a bcrypt hash is a noticeable part of a start on a small machine.
     */
    private volatile String unknownLoginHash;

    Accounts(JdbcTemplate jdbc, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    static String normalize(String login) {
        return login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
    }

    /** The enabled account whose password this is, or {@code null}. */
    Account verify(String login, String password) {
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return null;
        }
        // Before the lookup, whichever login comes first: the first attempt with an unknown login then takes as long
        // as the first with a known one.
        String unknown = unknownLoginHash();
        Account account = find(normalize(login));
        if (account == null) {
            passwords.matches(password, unknown);
            return null;
        }
        if (!passwords.matches(password, account.passwordHash()) || !account.enabled()) {
            return null;
        }
        return account;
    }

    private String unknownLoginHash() {
        String hash = unknownLoginHash;
        if (hash == null) {
            synchronized (this) {
                if (unknownLoginHash == null) {
                    unknownLoginHash = passwords.encode(UUID.randomUUID().toString());
                }
                hash = unknownLoginHash;
            }
        }
        return hash;
    }

    Account find(String login) {
        List<Account> found = jdbc.query("""
                SELECT subject, login, password_hash, roles, customer_id, enabled FROM account WHERE login = ?
                """, (rs, row) -> new Account(rs.getString("subject"), rs.getString("login"),
                rs.getString("password_hash"), roles(rs.getString("roles")), rs.getObject("customer_id", UUID.class),
                rs.getBoolean("enabled")), login);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Creates a named staff or operator account unless one by that name exists; whether it created one. */
    boolean ensureNamed(String name, Actor.Role role, String password) {
        // Checked first so that a restart does not hash a password it then throws away.
        if (find(name) != null) {
            return false;
        }
        return jdbc.update("""
                INSERT INTO account (subject, login, password_hash, roles) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, name, name, passwords.encode(password), role.name()) == 1;
    }

    private static void requireHashable(String field, String password) {
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new RefusedException(Refusal.invalid(field, "must be at most " + MAX_PASSWORD_BYTES + " bytes of UTF-8"));
        }
    }

    @Override
    public void create(UUID customerId, String email, String password) {
        requireHashable("password", password);
        try {
            jdbc.update("""
                    INSERT INTO account (subject, login, password_hash, roles, customer_id) VALUES (?, ?, ?, ?, ?)
                    """, customerId.toString(), normalize(email), passwords.encode(password),
                    Actor.Role.CUSTOMER.name(), customerId);
        } catch (DuplicateKeyException taken) {
            throw new RefusedException(Refusal.conflict("email", "This email is already in use"));
        }
    }

    @Override
    public void discard(UUID customerId) {
        jdbc.update("DELETE FROM account WHERE subject = ? AND customer_id = ?", customerId.toString(), customerId);
    }

    @Override
    public void changeLogin(UUID customerId, String email) {
        jdbc.update("UPDATE account SET login = ?, updated_at = now() WHERE customer_id = ? AND login <> ?",
                normalize(email), customerId, normalize(email));
    }

    /** The projection's repair of a login, applied only once per customer event. */
    void changeLogin(UUID customerId, String email, long eventVersion) {
        jdbc.update("""
                UPDATE account SET login = ?, event_version = ?, updated_at = now()
                 WHERE customer_id = ? AND event_version < ?
                """, normalize(email), eventVersion, customerId, eventVersion);
    }

    void erase(UUID customerId) {
        jdbc.update("DELETE FROM account WHERE customer_id = ?", customerId);
    }

    void disable(UUID customerId, long eventVersion) {
        jdbc.update("""
                UPDATE account SET enabled = FALSE, event_version = ?, updated_at = now()
                 WHERE customer_id = ? AND event_version < ?
                """, eventVersion, customerId, eventVersion);
    }

    @Override
    public void changePassword(UUID customerId, String currentPassword, String newPassword) {
        requireHashable("newPassword", newPassword);
        List<String> hashes = jdbc.queryForList("SELECT password_hash FROM account WHERE customer_id = ?",
                String.class, customerId);
        if (hashes.isEmpty() || currentPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES
                || !passwords.matches(currentPassword, hashes.get(0))) {
            throw new RefusedException(Refusal.invalid("currentPassword", "is not the current password"));
        }
        jdbc.update("UPDATE account SET password_hash = ?, updated_at = now() WHERE customer_id = ?",
                passwords.encode(newPassword), customerId);
    }

    private static Set<Actor.Role> roles(String roles) {
        Set<Actor.Role> parsed = EnumSet.noneOf(Actor.Role.class);
        Arrays.stream(roles.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(r -> parsed.add(Actor.Role.valueOf(r)));
        return parsed;
    }

    static String roleNames(Set<Actor.Role> roles) {
        return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(","));
    }
}
