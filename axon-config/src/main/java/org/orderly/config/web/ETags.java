package org.orderly.config.web;

import org.springframework.http.ResponseEntity;

/** Aggregate versions as strong entity tags: the GET answers {@code ETag: "3"}, a command sends {@code If-Match: "3"}. */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    public static ResponseEntity.BodyBuilder ok(long version) {
        return ResponseEntity.ok().eTag(of(version));
    }

    /**
     * The expected version from an {@code If-Match} header, or {@code null} when there is none. A
     * malformed header is a 400 naming the header.
     */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            long version = Long.parseLong(tag);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw Problems.badRequest("If-Match", "must be an entity tag from a GET, such as \"3\"");
        }
    }
}
