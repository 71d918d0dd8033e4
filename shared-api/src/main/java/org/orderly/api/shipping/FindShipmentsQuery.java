package org.orderly.api.shipping;

import org.orderly.api.order.OrderId;

/**
 * One page of shipments ordered by id. Answered with a {@link ShipmentPage}.
 *
 * @param orderId only this order's shipments when not {@code null}
 * @param limit   the page size, already capped by the caller
 * @param after   the id of the last shipment of the previous page, or {@code null} for the first page
 */
public record FindShipmentsQuery(OrderId orderId, int limit, ShipmentId after) {
}
