package org.orderly.config.privacy;

import java.util.List;
import java.util.Optional;

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

    private final JdbcTemplate jdbc;
    private final MasterKeys master;
    private final Cache<String, Optional<SecretKey>> cache;

    public JdbcSubjectKeys(JdbcTemplate jdbc, MasterKeys master, PrivacyProperties properties) {
        this.jdbc = jdbc;
        this.master = master;
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
        int stored = jdbc.update("""
                INSERT INTO subject_key (subject_id, master_key_id, wrapped_key)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM erased_subject WHERE subject_id = ?)
                ON CONFLICT (subject_id) DO NOTHING
                """, subject, master.currentId(), master.wrap(subject, created), subject);
        Optional<SecretKey> key = stored == 1 ? Optional.of(created) : load(subject);
        cache.put(subject, key);
        return key.orElseThrow(() -> erased(subject));
    }

    @Override
    public Optional<SecretKey> keyForReading(String subject) {
        return cache.get(subject, this::load);
    }

    @Override
    public void erase(String subject) {
        jdbc.update("INSERT INTO erased_subject (subject_id) VALUES (?) ON CONFLICT (subject_id) DO NOTHING", subject);
        jdbc.update("DELETE FROM subject_key WHERE subject_id = ?", subject);
        cache.put(subject, ERASED);
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
