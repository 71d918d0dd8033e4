package org.orderly.api.returns;

import java.util.List;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;

/**
 * @param refund          what the return pays back (approved) or paid back (refunded); {@code null} when rejected
 *                        before approval
 * @param rejectionReason why, for REJECTED; otherwise {@code null}
 */
public record ReturnView(ReturnId returnId, OrderId orderId, ReturnStatus status, String reason, List<ReturnLine> lines,
                         Money refund, String rejectionReason, long version) {
}
