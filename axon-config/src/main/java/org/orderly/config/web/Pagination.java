package org.orderly.config.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/** Cursor pagination for every list endpoint: opaque cursors, a default limit and a hard cap. */
public final class Pagination {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private Pagination() {
    }

    /** The page size to use: the default when absent, capped at {@link #MAX_LIMIT}; below 1 is a 400. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1) {
            throw Problems.badRequest("limit", "must be at least 1");
        }
        return Math.min(requested, MAX_LIMIT);
    }

    public static String encode(Object position) {
        return position == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(position.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for, or {@code null} without a cursor; a cursor this API did not issue is a 400. */
    public static <T> T decode(String cursor, Function<String, T> parser) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return parser.apply(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw Problems.badRequest("cursor", "is not a cursor this API issued");
        }
    }
}
