package org.orderly.api.returns;

import java.util.List;

public record ReturnPage(List<ReturnView> items, ReturnId next) {
}
