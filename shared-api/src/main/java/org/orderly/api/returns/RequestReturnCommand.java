package org.orderly.api.returns;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks to return some of an order's delivered goods. {@code order} is the returns domain's copy of the order,
 * read just before the command was built; the return decides from it whether to approve.
 */
public record RequestReturnCommand(@TargetAggregateIdentifier ReturnId returnId, List<RequestedReturnLine> lines,
                                   String reason, ReturnableOrder order) {
}
