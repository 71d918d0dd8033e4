package org.orderly.config;

import org.springframework.boot.actuate.health.Status;

/**
 * Health statuses of Orderly's own. Background work that falls behind or needs an operator (a lagging projection,
 * parked dead letters, stuck sagas, failing notifications) is {@link #DEGRADED}: shown, counted and alerted on,
 * but the node still serves, so {@code /actuator/health} and readiness answer 200 for it. Only what stops the
 * node serving (its database unreachable) answers 503.
 */
public final class OrderlyHealth {

    /** Serving, with background work behind or waiting for an operator; the details say which. */
    public static final Status DEGRADED = new Status("DEGRADED",
            "Serving; background work is behind or waits for an operator");

    private OrderlyHealth() {
    }
}
