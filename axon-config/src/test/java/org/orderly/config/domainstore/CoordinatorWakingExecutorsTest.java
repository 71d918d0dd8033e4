package org.orderly.config.domainstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A coordinator waiting for room in its work packages resumes when a worker finishes, not when its delay ends. */
class CoordinatorWakingExecutorsTest {

    // A back-pressure wait of ten minutes: a task that runs within seconds was woken, not due.
    private final CoordinatorWakingExecutors executors = new CoordinatorWakingExecutors("test", 2, TimeUnit.MINUTES.toMillis(10));

    @AfterEach
    void shutdown() {
        executors.shutdown();
    }

    @Test
    void aCoordinatorWaitingForRoomResumesWhenAWorkerFinishesABatch() throws Exception {
        CountDownLatch resumed = new CountDownLatch(1);
        executors.coordinator().schedule(resumed::countDown, 5, TimeUnit.MINUTES);

        executors.workers().submit(() -> { });

        assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLongerCoordinatorDelayKeepsItsTime() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        executors.coordinator().schedule(ran::countDown, 11, TimeUnit.MINUTES);

        executors.workers().submit(() -> { }).get(10, TimeUnit.SECONDS);

        assertThat(ran.await(300, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aWokenTaskRunsOnceEvenWhenItsDelayEndsToo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        executors.coordinator().schedule(runs::incrementAndGet, 20, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 50; i++) {
            executors.workers().submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
        Thread.sleep(100);
        // Both the wake-up and the timer have had their chance by now; the coordinator thread has run them in order.
        executors.coordinator().submit(() -> { }).get(10, TimeUnit.SECONDS);

        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aWorkerThatFailsStillWakesTheCoordinator() throws Exception {
        CountDownLatch resumed = new CountDownLatch(1);
        executors.coordinator().schedule(resumed::countDown, 5, TimeUnit.MINUTES);

        Runnable failing = () -> {
            throw new IllegalStateException("a batch failed");
        };
        executors.workers().submit(failing);

        assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
