package org.orderly.api.shipping;

import java.util.List;

/** @param next the id to continue after, or {@code null} on the last page */
public record ShipmentPage(List<ShipmentView> items, ShipmentId next) {
}
