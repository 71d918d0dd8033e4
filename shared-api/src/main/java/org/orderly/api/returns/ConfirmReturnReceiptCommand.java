package org.orderly.api.returns;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** The warehouse has the returned goods. */
public record ConfirmReturnReceiptCommand(@TargetAggregateIdentifier ReturnId returnId,
                                          @TargetAggregateVersion Long expectedVersion) {
}
