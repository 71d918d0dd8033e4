package org.orderly.api.catalog;

import java.util.List;

public record ProductPage(List<ProductView> items, ProductId next) {
}
