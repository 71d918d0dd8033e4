package org.orderly.config.privacy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.axonframework.eventhandling.TrackedEventData;
import org.orderly.config.eventstore.FetchedEventsListener;

/**
 * Reads the keys of every subject whose sealed values are in a fetched batch of events, in one query, before the
 * batch is deserialized: a sealed value names its subject in clear ({@code pd1:<subject>:...}), so the stored bytes
 * are enough to find them. Without it, a replay asks the keys store once for every customer it meets.
 */
final class SubjectKeyPrefetch implements FetchedEventsListener {

    private static final byte[] PREFIX = PersonalDataCipher.PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final SubjectKeys keys;

    SubjectKeyPrefetch(SubjectKeys keys) {
        this.keys = keys;
    }

    @Override
    public void fetched(List<? extends TrackedEventData<?>> batch) {
        Set<String> subjects = new HashSet<>();
        for (TrackedEventData<?> event : batch) {
            if (event.getPayload().getData() instanceof byte[] payload) {
                subjectsIn(payload, subjects);
            }
        }
        if (!subjects.isEmpty()) {
            keys.prefetch(subjects);
        }
    }

    /** Adds the subject of every {@code pd1:<subject>:} in a stored JSON payload. */
    static void subjectsIn(byte[] payload, Set<String> subjects) {
        for (int i = 0; i <= payload.length - PREFIX.length; i++) {
            if (payload[i] == PREFIX[0] && startsWithPrefix(payload, i)) {
                int start = i + PREFIX.length;
                int end = start;
                while (end < payload.length && payload[end] != ':' && payload[end] != '"' && end - start <= 64) {
                    end++;
                }
                if (end < payload.length && payload[end] == ':' && end > start) {
                    subjects.add(new String(payload, start, end - start, StandardCharsets.UTF_8));
                }
                i = end;
            }
        }
    }

    private static boolean startsWithPrefix(byte[] payload, int at) {
        for (int j = 1; j < PREFIX.length; j++) {
            if (payload[at + j] != PREFIX[j]) {
                return false;
            }
        }
        return true;
    }
}
