package org.orderly.command.customer;

import org.orderly.api.customer.CustomerId;

/**
 * Which customer holds which email: set-based validation on the command side. Claims join the
 * transaction of the command, so a claim exists exactly when the event that needs it was stored.
 */
interface CustomerEmailRegistry {

    /** Claims {@code email} for {@code customerId}; refuses with a conflict when another customer holds it. */
    void claim(String email, CustomerId customerId);

    /** Gives {@code email} up, if {@code customerId} holds it. */
    void release(String email, CustomerId customerId);

    /** Gives up every email {@code customerId} holds: an erased customer's email is free for a new sign-up. */
    void releaseAll(CustomerId customerId);
}
