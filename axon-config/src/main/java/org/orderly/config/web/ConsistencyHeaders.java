package org.orderly.config.web;

/**
 * The consistency token of the HTTP API. A command's answer tells the global position of the last event it
 * stored ({@link #POSITION}); a GET that sends that header back is answered once the read models it reads have
 * passed it, whichever node answers, and says whether they had ({@link #REACHED}).
 */
public final class ConsistencyHeaders {

    /** The global index of the last event a command stored; sent back on a GET to read what it changed. */
    public static final String POSITION = "Orderly-Position";
    /** On a GET that sent {@link #POSITION}: {@code true} when the read models had passed it, else {@code false}. */
    public static final String REACHED = "Orderly-Position-Reached";

    /** Why a malformed {@link #POSITION} is refused. */
    public static final String MALFORMED = "must be a position from a command's answer, a whole number such as 42";

    private ConsistencyHeaders() {
    }

    /** The position a client sent, or a 400 naming the header. */
    static long position(String header) {
        String value = header.trim();
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problems.badRequest(POSITION, MALFORMED);
        }
        return Long.parseLong(value);
    }
}
