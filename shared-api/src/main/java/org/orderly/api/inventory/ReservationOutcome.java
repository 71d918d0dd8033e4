package org.orderly.api.inventory;

/**
 * What an order got of a product's stock, as {@code ReserveStockCommand} answers it: the first time, and
 * again to a repeated command, which changes nothing but tells its sender the outcome it missed.
 */
public enum ReservationOutcome {
    RESERVED, REJECTED, RELEASED, COMMITTED;

    /** Whether the order holds (or held, until it shipped) the stock it asked for. */
    public boolean held() {
        return this == RESERVED || this == COMMITTED;
    }
}
