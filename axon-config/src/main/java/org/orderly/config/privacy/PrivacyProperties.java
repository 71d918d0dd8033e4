package org.orderly.config.privacy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How personal data is sealed.
 *
 * @param masterKeys       master keys by id, each 32 bytes in base64; when empty, {@code master-key-file} holds them
 * @param currentMasterKey the id of the master key new data keys are wrapped with; the first one when unset
 * @param masterKeyFile    the owner-only file of master keys used when none are configured, created on first start;
 *                         back it up apart from the database
 * @param keyCacheTtl      how long a node keeps a subject's data key in memory; another node's erasure is honoured
 *                         here within this time at the latest
 * @param keyCacheSize     how many subjects' data keys a node keeps in memory
 * @param sealStoredEvents the one-time migration: when {@code true}, the application seals the personal data of
 *                         every stored event, snapshot and dead letter written before sealing, reports its
 *                         progress on standard output, and exits (0 when done); running it again changes nothing
 * @param sealBatchSize    how many stored payloads the migration seals per transaction
 * @param erasureLedgerFile the owner-only file that lists every erased subject's id (nothing else), appended and
 *                         synced at each erasure and re-applied at every start, so that restoring a backup older
 *                         than an erasure does not bring the customer back; keep it beside the master keys, never
 *                         in the database or its backups, and on storage every node shares
 * @param rotationBatchSize how many data keys a master key rotation rewraps per batch
 */
@ConfigurationProperties("orderly.privacy")
public record PrivacyProperties(@DefaultValue Map<String, String> masterKeys, String currentMasterKey,
                                @DefaultValue(".orderly/master-keys.properties") Path masterKeyFile,
                                @DefaultValue("1m") Duration keyCacheTtl,
                                @DefaultValue("100000") long keyCacheSize,
                                @DefaultValue("false") boolean sealStoredEvents,
                                @DefaultValue("500") int sealBatchSize,
                                @DefaultValue(".orderly/erased-subjects") Path erasureLedgerFile,
                                @DefaultValue("500") int rotationBatchSize) {
}
