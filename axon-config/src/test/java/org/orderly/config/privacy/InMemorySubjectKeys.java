package org.orderly.config.privacy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

/** Subject keys held in memory, for unit tests of what uses them; the real store is {@link JdbcSubjectKeys}. */
final class InMemorySubjectKeys implements SubjectKeys {

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Set<String> erased = ConcurrentHashMap.newKeySet();

    @Override
    public SecretKey keyForWriting(String subject) {
        if (erased.contains(subject)) {
            throw new SubjectErasedException(subject);
        }
        return keys.computeIfAbsent(subject, s -> MasterKeys.newDataKey());
    }

    @Override
    public Optional<SecretKey> keyForReading(String subject) {
        return Optional.ofNullable(keys.get(subject));
    }

    @Override
    public void erase(String subject) {
        erased.add(subject);
        keys.remove(subject);
    }

    @Override
    public boolean isErased(String subject) {
        return erased.contains(subject);
    }
}
