package org.orderly.config.saga;

/**
 * A step of a saga, as an enum constant: {@link #stepName()} is the name the workflows read model shows
 * ({@code reserve-stock}), the constant is what the saga's code and its stored state use.
 */
public interface SagaStep {

    String stepName();
}
