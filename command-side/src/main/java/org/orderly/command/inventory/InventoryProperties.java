package org.orderly.command.inventory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.inventory.*}.
 *
 * @param snapshotAfter events after which an inventory item is snapshotted. An item lives as long as its
 *                      product and gains two or three events per order, so without snapshots every
 *                      reservation would replay the product's whole order history.
 */
@ConfigurationProperties("orderly.inventory")
record InventoryProperties(@DefaultValue("100") int snapshotAfter) {
}
