package org.orderly.api.returns;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Every returned unit is back in inventory. Repeating it is harmless. */
public record MarkReturnRestockedCommand(@TargetAggregateIdentifier ReturnId returnId) {
}
