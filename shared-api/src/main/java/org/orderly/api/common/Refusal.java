package org.orderly.api.common;

import java.util.Objects;

/**
 * Why a command was refused, in terms a client can act on. It travels as the details of Axon's
 * {@code CommandExecutionException}, so it survives a distributed command bus unchanged.
 *
 * @param kind    what sort of refusal this is; the REST layer maps it to a status code
 * @param field   the request field at fault, or {@code null} when the refusal is about the whole request
 * @param message a sentence for humans
 */
public record Refusal(Kind kind, String field, String message) {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNPROCESSABLE, UNAVAILABLE }

    public Refusal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static Refusal invalid(String field, String message) {
        return new Refusal(Kind.INVALID, field, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, null, message);
    }

    public static Refusal conflict(String field, String message) {
        return new Refusal(Kind.CONFLICT, field, message);
    }
}
