package org.orderly.api.returns;

/** Answered with a {@link ReturnView}, or {@code null} when the read model has no such return. */
public record FindReturnQuery(ReturnId returnId) {
}
