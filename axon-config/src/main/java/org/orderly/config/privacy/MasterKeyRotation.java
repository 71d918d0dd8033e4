package org.orderly.config.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotating the master key, an operator's action: a new master key becomes current (new data keys are wrapped
 * with it at once), then every stored data key is rewrapped with it, batch by batch, while reads go on (a data
 * key opens under either master key until its row is rewrapped). The progress is the database's own count of
 * data keys per master key, so it holds across nodes and restarts; a rotation that stopped (a crash, a restart)
 * goes on where it was when asked again, since only data keys under another master key are left to rewrap.
 * <p>
 * With master keys from the file, a rotation with nothing left to rewrap first adds a new key to the file and
 * makes it current; one asked for while data keys still wait goes on with the current key. With configured
 * master keys ({@code orderly.privacy.master-keys}) the operator adds the new key there, makes it current
 * ({@code current-master-key}) on every node, and then asks for the rotation, which rewraps to it. A key no data
 * key uses any more may be retired: removed from the file here, or from the configuration.
 */
public final class MasterKeyRotation {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

    /**
     * A rotation as this node ran it, with the database's present counts.
     *
     * @param status             {@code IDLE} (none run on this node since it started), {@code RUNNING}, {@code DONE}
     *                           or {@code FAILED}
     * @param currentMasterKey   the master key new and rewrapped data keys are wrapped with
     * @param masterKeys         the master keys this node knows
     * @param rewrapped          data keys this rotation rewrapped so far
     * @param remaining          data keys still wrapped with another master key
     * @param dataKeysByMasterKey how many data keys each master key wraps now
     * @param detail             why it failed
     */
    public record RotationView(String status, String currentMasterKey, java.util.Set<String> masterKeys,
                               Instant startedAt, Instant endedAt, long rewrapped, long remaining,
                               Map<String, Long> dataKeysByMasterKey, String requestedBy, String detail) {
    }

    private record Run(String status, Instant startedAt, Instant endedAt, long rewrapped, String requestedBy,
                       String detail) {
    }

    private final JdbcSubjectKeys keys;
    private final MasterKeys master;
    private final int batchSize;
    private final Clock clock;
    private final AtomicReference<Run> run = new AtomicReference<>(new Run("IDLE", null, null, 0, null, null));

    MasterKeyRotation(JdbcSubjectKeys keys, MasterKeys master, int batchSize, Clock clock) {
        this.keys = keys;
        this.master = master;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** Starts a rotation in the background; 409 while one runs on this node. */
    public synchronized RotationView start(String requestedBy) {
        if (run.get().status().equals("RUNNING")) {
            throw new RefusedException(Refusal.conflict(null, "A master key rotation is already running"));
        }
        if (master.fromFile() && remaining(keys.dataKeysByMasterKey()) == 0) {
            String added = master.addCurrent();
            log.info("Master key {} added to the master key file and made current", added);
        }
        run.set(new Run("RUNNING", clock.instant(), null, 0, requestedBy, null));
        Thread worker = new Thread(this::rewrapAll, "master-key-rotation");
        worker.setDaemon(true);
        worker.start();
        return view();
    }

    private void rewrapAll() {
        long rewrapped = 0;
        try {
            for (int batch = keys.rewrapBatch(batchSize); batch > 0; batch = keys.rewrapBatch(batchSize)) {
                rewrapped += batch;
                Run now = run.get();
                run.set(new Run("RUNNING", now.startedAt(), null, rewrapped, now.requestedBy(), null));
            }
            Run now = run.get();
            run.set(new Run("DONE", now.startedAt(), clock.instant(), rewrapped, now.requestedBy(), null));
            log.info("Master key rotation done: {} data keys rewrapped with master key {}", rewrapped,
                    master.currentId());
        } catch (RuntimeException e) {
            Run now = run.get();
            run.set(new Run("FAILED", now.startedAt(), clock.instant(), rewrapped, now.requestedBy(), e.getMessage()));
            log.error("Master key rotation failed after {} data keys; asking again goes on from there", rewrapped, e);
        }
    }

    public RotationView view() {
        Run now = run.get();
        Map<String, Long> counts = keys.dataKeysByMasterKey();
        return new RotationView(now.status(), master.currentId(), new java.util.TreeSet<>(master.ids()),
                now.startedAt(), now.endedAt(), now.rewrapped(), remaining(counts), counts, now.requestedBy(),
                now.detail());
    }

    /**
     * Forgets a master key: refused (409) for the current one, one that still wraps data keys, and configured
     * keys (remove those from the configuration).
     */
    public synchronized void retire(String id) {
        if (!master.ids().contains(id)) {
            throw new RefusedException(Refusal.notFound("No master key " + id));
        }
        if (!master.fromFile()) {
            throw new RefusedException(Refusal.conflict(null, "Master keys are configured: remove " + id
                    + " from orderly.privacy.master-keys on every node"));
        }
        if (id.equals(master.currentId())) {
            throw new RefusedException(Refusal.conflict(null, "Master key " + id + " is the current one"));
        }
        long wrapping = keys.dataKeysByMasterKey().getOrDefault(id, 0L);
        if (wrapping > 0) {
            throw new RefusedException(Refusal.conflict(null, "Master key " + id + " still wraps " + wrapping
                    + " data keys: rotate first"));
        }
        master.retire(id);
        log.info("Master key {} retired", id);
    }

    private long remaining(Map<String, Long> counts) {
        String current = master.currentId();
        return counts.entrySet().stream().filter(e -> !e.getKey().equals(current)).mapToLong(Map.Entry::getValue).sum();
    }
}
