package org.orderly.api.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Identity of the catalog's category tree: there is one, so its id is a constant, derived from a name so that
 * every node and every version agrees on it without configuration.
 */
public record CategoryTreeId(UUID value) {

    /** The one tree of the catalog. */
    public static final CategoryTreeId CATALOG =
            new CategoryTreeId(UUID.nameUUIDFromBytes("orderly:catalog:category-tree".getBytes(StandardCharsets.UTF_8)));

    public CategoryTreeId {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
