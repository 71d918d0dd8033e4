package org.orderly.command.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.orders.*}.
 *
 * @param maxCopyLag an order is refused (503) while the processor of the order domain's customer or product
 *                   copies has left an event waiting longer than this: orders are never accepted on stale data
 */
@ConfigurationProperties("orderly.orders")
record OrderProperties(@DefaultValue("PT5S") Duration maxCopyLag) {
}
