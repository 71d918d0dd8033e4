package org.orderly.config.privacy;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.crypto.SecretKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Subject keys in the {@code keys} domain store (schema, role and pool of its own; never the event store's),
 * wrapped by the {@link MasterKeys}. A node keeps recently used keys in memory for {@code key-cache-ttl}; an
 * erased subject is remembered as such, since it never gets a key again.
 */
public final class JdbcSubjectKeys implements SubjectKeys {

    private static final Optional<SecretKey> ERASED = Optional.empty();
    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final MasterKeys master;
    private final ErasureLedger ledger;
    private final Supplier<List<SubjectErasureListener>> listeners;
    private final Cache<String, Optional<SecretKey>> cache;

    public JdbcSubjectKeys(JdbcTemplate jdbc, MasterKeys master, PrivacyProperties properties, ErasureLedger ledger,
                           Supplier<List<SubjectErasureListener>> listeners) {
        this.jdbc = jdbc;
        this.master = master;
        this.ledger = ledger;
        this.listeners = listeners;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.keyCacheTtl())
                .maximumSize(properties.keyCacheSize())
                .build();
    }

    @Override
    public SecretKey keyForWriting(String subject) {
        Optional<SecretKey> cached = cache.getIfPresent(subject);
        if (cached != null) {
            return cached.orElseThrow(() -> erased(subject));
        }
        // A new subject (a registration) is the common case: one statement stores its key unless the subject was
        // erased. Another node may create the subject's key at the same moment: the first one stored wins.
        SecretKey created = MasterKeys.newDataKey();
        MasterKeys.Wrapped wrapped = master.wrap(subject, created);
        int stored = jdbc.update("""
                INSERT INTO subject_key (subject_id, master_key_id, wrapped_key)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM erased_subject WHERE subject_id = ?)
                ON CONFLICT (subject_id) DO NOTHING
                """, subject, wrapped.masterKeyId(), wrapped.bytes(), subject);
        Optional<SecretKey> key = stored == 1 ? Optional.of(created) : load(subject);
        cache.put(subject, key);
        return key.orElseThrow(() -> erased(subject));
    }

    /**
     * One insert for all the new subjects, in subject order (two nodes inserting overlapping sets wait on each other
     * in one order, never in a cycle); those it did not store (erased, or another node's key won) are read back
     * as {@link #keyForWriting} reads them.
     */
    @Override
    public void prepareForWriting(Collection<String> subjects) {
        List<String> missing = subjects.stream().distinct().filter(subject -> cache.getIfPresent(subject) == null)
                .sorted().toList();
        if (missing.size() < 2) {
            return; // one new subject costs the same single statement when it is sealed
        }
        Map<String, SecretKey> created = new HashMap<>();
        String[] masterKeyIds = new String[missing.size()];
        byte[][] wrappedKeys = new byte[missing.size()][];
        for (int i = 0; i < missing.size(); i++) {
            SecretKey key = MasterKeys.newDataKey();
            MasterKeys.Wrapped wrapped = master.wrap(missing.get(i), key);
            created.put(missing.get(i), key);
            masterKeyIds[i] = wrapped.masterKeyId();
            wrappedKeys[i] = wrapped.bytes();
        }
        List<String> stored = jdbc.query(connection -> {
            PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO subject_key (subject_id, master_key_id, wrapped_key)
                    SELECT k.subject_id, k.master_key_id, k.wrapped_key
                      FROM unnest(?::text[], ?::text[], ?::bytea[]) AS k(subject_id, master_key_id, wrapped_key)
                     WHERE NOT EXISTS (SELECT 1 FROM erased_subject e WHERE e.subject_id = k.subject_id)
                    ON CONFLICT (subject_id) DO NOTHING
                    RETURNING subject_id
                    """);
            insert.setArray(1, connection.createArrayOf("text", missing.toArray(String[]::new)));
            insert.setArray(2, connection.createArrayOf("text", masterKeyIds));
            insert.setArray(3, connection.createArrayOf("bytea", wrappedKeys));
            return insert;
        }, (rs, row) -> rs.getString(1));
        Set<String> storedSubjects = new HashSet<>(stored);
        storedSubjects.forEach(subject -> cache.put(subject, Optional.of(created.get(subject))));
        List<String> notStored = missing.stream().filter(subject -> !storedSubjects.contains(subject)).toList();
        if (!notStored.isEmpty()) {
            prefetch(notStored);
        }
    }

    @Override
    public Optional<SecretKey> keyForReading(String subject) {
        return cache.get(subject, this::load);
    }

    /**
     * The ledger first (forced to disk), then the database: an erasure the database records is always in the
     * ledger, so no restore can undo it for good.
     */
    @Override
    public void erase(String subject) {
        ledger.append(subject);
        jdbc.update("INSERT INTO erased_subject (subject_id) VALUES (?) ON CONFLICT (subject_id) DO NOTHING", subject);
        jdbc.update("DELETE FROM subject_key WHERE subject_id = ?", subject);
        cache.put(subject, ERASED);
        listeners.get().forEach(listener -> listener.erased(subject));
    }

    /**
     * What {@link #reapply()} found.
     *
     * @param reErased      subjects the ledger names and the database did not: a restore had brought them back
     * @param keysDeleted   data keys deleted of subjects recorded as erased
     * @param addedToLedger erasures the database recorded and the ledger lacked (another node's ledger, or
     *                      erasures from before the ledger existed)
     */
    public record Reapplied(List<String> reErased, int keysDeleted, int addedToLedger) {
    }

    /**
     * Brings the database and the erasure ledger into agreement, at every start, before any personal data is read:
     * every subject the ledger names is recorded as erased and has no key (after a restore from a backup older
     * than their erasure, this is what erases them again), and every erasure the database records is in the
     * ledger. The domains' own forgetting is re-driven afterwards ({@link ErasureRedrive}).
     */
    public Reapplied reapply() {
        Set<String> recorded = new HashSet<>(jdbc.queryForList("SELECT subject_id FROM erased_subject", String.class));
        Set<String> inLedger = ledger.subjects();
        List<String> missingInLedger = recorded.stream().filter(id -> !inLedger.contains(id)).sorted().toList();
        ledger.append(missingInLedger);
        List<String> reErased = inLedger.stream().filter(id -> !recorded.contains(id)).toList();
        for (int from = 0; from < reErased.size(); from += BATCH) {
            List<String> batch = reErased.subList(from, Math.min(reErased.size(), from + BATCH));
            jdbc.batchUpdate("INSERT INTO erased_subject (subject_id) VALUES (?) ON CONFLICT (subject_id) DO NOTHING",
                    batch.stream().map(id -> new Object[] {id}).toList());
        }
        int deleted = jdbc.update("DELETE FROM subject_key k USING erased_subject e WHERE k.subject_id = e.subject_id");
        reErased.forEach(id -> cache.put(id, ERASED));
        for (String subject : reErased) {
            listeners.get().forEach(listener -> listener.erased(subject));
        }
        return new Reapplied(reErased, deleted, missingInLedger.size());
    }

    /** Every subject recorded as erased. */
    public List<String> erasedSubjects() {
        return jdbc.queryForList("SELECT subject_id FROM erased_subject ORDER BY subject_id", String.class);
    }

    /** How many data keys each master key wraps. */
    public Map<String, Long> dataKeysByMasterKey() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT master_key_id, count(*) FROM subject_key GROUP BY master_key_id", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /**
     * Wraps up to {@code size} data keys that another master key wraps with the current one. Each row changes on
     * its own and only if no one changed it since it was read (an erasure deletes it, another node rewraps it):
     * a reader finds the key wrapped either way, and an interrupted rotation simply goes on with the rest.
     *
     * @return how many keys this batch handled; 0 once none is left
     */
    public int rewrapBatch(int size) {
        String current = master.currentId();
        List<Object[]> rows = new ArrayList<>();
        jdbc.query("""
                SELECT subject_id, master_key_id, wrapped_key FROM subject_key WHERE master_key_id <> ?
                 ORDER BY subject_id LIMIT ?
                """, rs -> {
            String subject = rs.getString(1);
            String oldMaster = rs.getString(2);
            MasterKeys.Wrapped wrapped = master.wrap(subject, master.unwrap(oldMaster, subject, rs.getBytes(3)));
            rows.add(new Object[] {wrapped.masterKeyId(), wrapped.bytes(), subject, oldMaster});
        }, current, size);
        if (!rows.isEmpty()) {
            // a row another node rewrapped or an erasure deleted meanwhile is handled all the same
            jdbc.batchUpdate("""
                    UPDATE subject_key SET master_key_id = ?, wrapped_key = ? WHERE subject_id = ? AND master_key_id = ?
                    """, rows);
        }
        return rows.size();
    }

    @Override
    public boolean isErased(String subject) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM erased_subject WHERE subject_id = ?)", Boolean.class, subject));
    }

    @Override
    public void prefetch(java.util.Collection<String> subjects) {
        String[] missing = subjects.stream().distinct().filter(subject -> cache.getIfPresent(subject) == null)
                .toArray(String[]::new);
        if (missing.length == 0) {
            return;
        }
        java.util.Map<String, Optional<SecretKey>> found = new java.util.HashMap<>();
        for (String subject : missing) {
            found.put(subject, ERASED); // no key: never had one, or erased, as load() finds it
        }
        jdbc.query("SELECT subject_id, master_key_id, wrapped_key FROM subject_key WHERE subject_id = ANY (?)",
                rs -> {
                    String subject = rs.getString(1);
                    found.put(subject, Optional.of(master.unwrap(rs.getString(2), subject, rs.getBytes(3))));
                }, (Object) missing);
        cache.putAll(found);
    }

    private Optional<SecretKey> load(String subject) {
        List<SecretKey> keys = jdbc.query("SELECT master_key_id, wrapped_key FROM subject_key WHERE subject_id = ?",
                (rs, row) -> master.unwrap(rs.getString(1), subject, rs.getBytes(2)), subject);
        return keys.stream().findFirst();
    }

    private static SubjectErasedException erased(String subject) {
        return new SubjectErasedException(subject);
    }
}
