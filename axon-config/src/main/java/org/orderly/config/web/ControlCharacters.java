package org.orderly.config.web;

/**
 * C0 control characters (U+0000 to U+001F) and DEL (U+007F) in text from a client. None of them is ever
 * meaningful in a name, an id or a code, and NUL cannot even be stored (PostgreSQL text refuses it): a
 * value holding one is refused at the edge, before it becomes an event that no projection can write.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** The index of the first control character in {@code text}, or -1; with {@code freeText}, tab, LF and CR pass. */
    public static int indexIn(CharSequence text, boolean freeText) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if ((c < 0x20 || c == 0x7F) && !(freeText && (c == '\t' || c == '\n' || c == '\r'))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code text} holds a control character; with {@code freeText}, tab, LF and CR pass. */
    public static boolean in(CharSequence text, boolean freeText) {
        return indexIn(text, freeText) >= 0;
    }

    /** The reason given to the client, naming the character by its code point (never echoing it). */
    public static String reason(CharSequence text, boolean freeText) {
        int at = indexIn(text, freeText);
        return String.format("must not contain control characters (U+%04X at position %d)", (int) text.charAt(at), at);
    }
}
