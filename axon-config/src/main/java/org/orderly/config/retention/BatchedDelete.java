package org.orderly.config.retention;

import java.util.Arrays;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes in batches, each its own statement and so its own transaction (when none is bound to the thread, as on
 * the retention worker): a backlog of millions of expired rows never holds one long transaction, its locks and
 * its dead rows at once, and what is done stays done if the run fails halfway.
 */
public final class BatchedDelete {

    private BatchedDelete() {
    }

    /**
     * Runs {@code oneBatch} until it deletes fewer rows than {@code batchSize}.
     *
     * @param oneBatch a statement deleting at most one batch, whose last parameter is that batch's size, e.g.
     *                 {@code DELETE FROM t WHERE ctid = ANY (ARRAY(SELECT ctid FROM t WHERE done_at < ? LIMIT ?))}
     * @param args     its parameters before the batch size
     * @return how many rows were deleted in all
     */
    public static long run(JdbcTemplate jdbc, String oneBatch, int batchSize, Object... args) {
        Object[] withLimit = Arrays.copyOf(args, args.length + 1);
        withLimit[args.length] = batchSize;
        long total = 0;
        int deleted;
        do {
            try {
                deleted = jdbc.update(oneBatch, withLimit);
            } catch (RuntimeException e) {
                if (total == 0) {
                    throw e;
                }
                throw new RetentionFailure(e.toString(), e, total);
            }
            total += deleted;
        } while (deleted >= batchSize && !Thread.currentThread().isInterrupted());
        return total;
    }
}
