package org.orderly.config.security;

import java.util.UUID;

/**
 * The passwords customers sign up with, kept by the embedded issuer's identity store and nowhere else: never in
 * a command, an event, a read model or a log. Present only when the node hosts the embedded issuer; with an
 * external issuer the provider owns its users' passwords.
 */
public interface CustomerCredentials {

    /**
     * The shortest and longest password a customer may choose, in characters; bcrypt reads 72 bytes, so a
     * password must also fit in 72 bytes of UTF-8 (checked where it is hashed).
     */
    int MIN_PASSWORD = 12;
    int MAX_PASSWORD = 64;
    int MAX_PASSWORD_BYTES = 72;

    /**
     * Keeps the customer's login (their email) and password, before the registration is sent; a login already
     * held by someone else refuses the sign-up as a conflict on {@code email}.
     */
    void create(UUID customerId, String email, String password);

    /** Forgets a login whose registration was refused. */
    void discard(UUID customerId);

    /** Follows a changed email at once (the identity store's projection repairs it should this be lost). */
    void changeLogin(UUID customerId, String email);

    /** Sets a new password once the current one is proven; a wrong current password refuses on {@code currentPassword}. */
    void changePassword(UUID customerId, String currentPassword, String newPassword);
}
