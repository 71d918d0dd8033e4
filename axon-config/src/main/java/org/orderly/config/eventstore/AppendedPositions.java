package org.orderly.config.eventstore;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The global index of the last event a piece of work appended, for a caller that wants to tell its client
 * where the event store stood after its change (the HTTP API's {@code Orderly-Position}). A caller opens a
 * {@link Capture} on its thread; the storage engine then learns the index of each append made on that thread
 * ({@link ParsedTimestampJdbcEventStorageEngine}) and reports it once the unit of work that appended has committed,
 * so a rolled-back append never shows. Where no capture is open, appending costs nothing more than before.
 */
public final class AppendedPositions {

    private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();

    private AppendedPositions() {
    }

    /** Starts capturing this thread's appends; closing the capture stops it (and restores any outer one). */
    public static Capture capture() {
        Capture capture = new Capture(CURRENT.get(), List.of());
        CURRENT.set(capture);
        return capture;
    }

    /** The capture open on this thread, or {@code null}: only then is an append's index worth a query. */
    static Capture current() {
        return CURRENT.get();
    }

    /**
     * The capture open on this thread, or {@code null}, for a thread that appends on this one's behalf: a command
     * handled on another thread ({@code GroupCommitCommandBus}) hands its sender's capture over with it.
     */
    public static Capture open() {
        return CURRENT.get();
    }

    /**
     * A capture reporting every committed append to each of {@code captures} (those that are not {@code null}), for
     * work done for several senders at once and committed as one: each learns where the store stood after all of it.
     * {@code null} when none of them is a capture: then an append asks nothing more.
     */
    public static Capture sharedBy(Collection<Capture> captures) {
        List<Capture> sharers = captures.stream().filter(Objects::nonNull).toList();
        return sharers.isEmpty() ? null : new Capture(null, sharers);
    }

    /**
     * Makes {@code capture} (or none, for {@code null}) the one this thread's appends report to, and answers the one
     * it replaces, for the caller to restore: how a thread appending on behalf of other threads reports to them.
     */
    public static Capture reportTo(Capture capture) {
        Capture replaced = CURRENT.get();
        if (capture == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(capture);
        }
        return replaced;
    }

    /** Where one thread's appends reached. */
    public static final class Capture implements AutoCloseable {

        private final Capture outer;
        private final List<Capture> sharers;
        private final AtomicLong last = new AtomicLong(-1);

        private Capture(Capture outer, List<Capture> sharers) {
            this.outer = outer;
            this.sharers = sharers;
        }

        /** The global index of the last committed event appended while this capture was open, if any. */
        public OptionalLong last() {
            long position = last.get();
            return position < 0 ? OptionalLong.empty() : OptionalLong.of(position);
        }

        /** An append reached {@code position}; counted when its unit of work commits, or now outside of one. */
        void appended(long position) {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().root().afterCommit(u -> committed(position));
            } else {
                committed(position);
            }
        }

        private void committed(long position) {
            last.accumulateAndGet(position, Math::max);
            if (outer != null) {
                outer.committed(position);
            }
            for (Capture sharer : sharers) {
                sharer.committed(position);
            }
        }

        @Override
        public void close() {
            if (CURRENT.get() == this) {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        }
    }
}
