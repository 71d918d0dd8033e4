package org.orderly.api.returns;

import java.util.List;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;

/** @param refund what the return pays back once received: each line at its snapshotted unit price */
@Revision("1")
public record ReturnApprovedEvent(ReturnId returnId, OrderId orderId, List<ReturnLine> lines, Money refund) {
}
