package org.orderly.config.saga;

import java.util.Locale;

/**
 * A step of a saga, as an enum constant: the constant is what the saga's code and its stored state use,
 * {@link #stepName()} the name the workflows read model shows, {@code RESERVE_STOCK} as {@code reserve-stock}.
 */
public interface SagaStep {

    /** The enum constant's name. */
    String name();

    default String stepName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
