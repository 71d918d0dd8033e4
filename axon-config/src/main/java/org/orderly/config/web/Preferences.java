package org.orderly.config.web;

import java.time.Duration;
import java.util.Locale;

/**
 * The HTTP {@code Prefer} header (RFC 7240). Only {@code wait=<seconds>} is understood: how long a client
 * is willing to wait for a read model to show what it has just written. Like any preference it is a hint:
 * a malformed value is ignored, not refused, and a long one is cut to the server's maximum.
 */
public final class Preferences {

    private Preferences() {
    }

    /** The wait the client prefers, at most {@code max}; zero when it states none. */
    public static Duration waitOf(String prefer, Duration max) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split(";", 2)[0].trim();
            int equals = token.indexOf('=');
            if (equals < 0 || !token.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("wait")) {
                continue;
            }
            String value = token.substring(equals + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                return Duration.ZERO;
            }
            Duration wait = Duration.ofSeconds(Long.parseLong(value));
            return wait.compareTo(max) > 0 ? max : wait;
        }
        return Duration.ZERO;
    }
}
