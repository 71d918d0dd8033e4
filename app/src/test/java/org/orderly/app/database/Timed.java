package org.orderly.app.database;

import java.util.function.Supplier;

/** A call's answer and how long it took: for tests that an outage is answered at once, not after a timeout. */
record Timed<T>(T value, long millis) {

    static <T> Timed<T> of(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, (System.nanoTime() - start) / 1_000_000);
    }
}
