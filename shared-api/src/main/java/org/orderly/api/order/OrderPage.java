package org.orderly.api.order;

import java.util.List;

public record OrderPage(List<OrderView> items, OrderId next) {
}
