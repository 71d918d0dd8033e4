package org.orderly.config.eventstore;

import java.util.OptionalLong;

import org.axonframework.eventhandling.TrackingToken;

/** The global index a tracking token stands for: what cached copies record as their last applied position. */
public final class TokenPositions {

    private TokenPositions() {
    }

    /** The token's global index, or -1 when it has none (no token, or before the first event). */
    public static long of(TrackingToken token) {
        if (token == null) {
            return -1L;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : -1L;
    }
}
