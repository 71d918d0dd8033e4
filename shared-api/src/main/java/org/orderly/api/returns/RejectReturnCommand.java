package org.orderly.api.returns;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Withdraws an approved return whose goods never arrived; its units become returnable again. */
public record RejectReturnCommand(@TargetAggregateIdentifier ReturnId returnId, String reason) {
}
