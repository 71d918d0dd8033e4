package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.ErasureLedger;
import org.orderly.config.privacy.JdbcSubjectKeys;
import org.orderly.config.privacy.MasterKeys;
import org.orderly.config.privacy.PersonalDataCipher;
import org.orderly.config.privacy.PrivacyProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator rotates the master key on real PostgreSQL while customers are read: a new master key becomes
 * current, every data key is rewrapped with it in batches, reads never fail meanwhile, and afterwards every data
 * key opens with the new master key alone (and none with the old one), the sealed events open through them, and
 * the old key can be retired. A rotation that stopped part way goes on when asked again.
 */
@OrderlyIntegrationTest
@DirtiesContext // its own master key file, which the rotation changes
class MasterKeyRotationIT {

    private static final Path SECRETS;

    static {
        try {
            SECRETS = Files.createTempDirectory("orderly-rotation-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void ownMasterKeys(DynamicPropertyRegistry registry) {
        registry.add("orderly.privacy.master-key-file", () -> SECRETS.resolve("master-keys.properties").toString());
        registry.add("orderly.privacy.erasure-ledger-file", () -> SECRETS.resolve("erased-subjects").toString());
        registry.add("orderly.privacy.rotation-batch-size", () -> "3");
    }

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    @Autowired
    JdbcTemplate main;

    @Test
    void everyDataKeyIsRewrappedWithTheNewMasterKeyWhileReadsGoOnAndTheOldKeyCanThenBeRetired() throws Exception {
        Identities identities = new Identities(port);
        Http operator = identities.operator();
        List<Identities.Customer> customers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            customers.add(identities.customer("Rotated " + i + " " + UUID.randomUUID()));
        }
        JsonNode before = operator.get("/api/ops/master-keys/rotation").json();
        assertThat(before.get("status").asText()).isEqualTo("IDLE");
        String oldKey = before.get("currentMasterKey").asText();
        assertThat(before.get("remaining").asLong()).isZero();
        long dataKeys = before.get("dataKeysByMasterKey").get(oldKey).asLong();
        assertThat(dataKeys).isGreaterThanOrEqualTo(customers.size());
        Properties oldFile = read(SECRETS.resolve("master-keys.properties"));

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> failedReads = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            Http staff = identities.staff();
            while (reading.get()) {
                for (Identities.Customer customer : customers) {
                    Http.Response read = staff.get("/api/customers/" + customer.id());
                    if (read.status() != 200 || !read.json().get("email").asText().equals(customer.email())) {
                        failedReads.add(read.toString());
                    }
                    reads.incrementAndGet();
                }
            }
        });
        reader.start();
        Http.Response asked = operator.post("/api/ops/master-keys/rotation", null);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        assertThat(asked.header("Location")).isEqualTo("/api/ops/master-keys/rotation");
        JsonNode done = await().atMost(Duration.ofSeconds(60)).until(() -> operator.get(asked.header("Location")).json(),
                view -> !view.get("status").asText().equals("RUNNING"));
        // a sign-up during and after the rotation is wrapped with the new key
        Identities.Customer newcomer = identities.customer("After the rotation " + UUID.randomUUID());
        reading.set(false);
        reader.join();

        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("DONE");
        String newKey = done.get("currentMasterKey").asText();
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(done.get("rewrapped").asLong()).isEqualTo(dataKeys);
        assertThat(done.get("remaining").asLong()).isZero();
        assertThat(failedReads).as("reads during the rotation (%d)", reads.get()).isEmpty();
        JdbcTemplate keys = stores.get("keys").jdbc();
        assertThat(keys.queryForList("SELECT DISTINCT master_key_id FROM subject_key", String.class))
                .containsExactly(newKey);

        // every data key opens with the new master key alone, none with the old one, and the events open through them
        Properties newFile = read(SECRETS.resolve("master-keys.properties"));
        MasterKeys newOnly = masterKeys("newOnly", newKey, newFile.getProperty("key." + newKey));
        MasterKeys oldUnderNewName = masterKeys("oldOnly", newKey, oldFile.getProperty("key." + oldKey));
        List<Map<String, Object>> rows = keys.queryForList("SELECT subject_id, master_key_id, wrapped_key FROM subject_key");
        assertThat(rows).hasSizeGreaterThan(customers.size());
        for (Map<String, Object> row : rows) {
            String subject = (String) row.get("subject_id");
            byte[] wrapped = (byte[]) row.get("wrapped_key");
            assertThat(newOnly.unwrap(newKey, subject, wrapped).getEncoded()).hasSize(32);
            assertThatThrownBy(() -> oldUnderNewName.unwrap(newKey, subject, wrapped))
                    .hasMessageContaining("wrong master key");
        }
        PersonalDataCipher fresh = new PersonalDataCipher(new JdbcSubjectKeys(keys, newOnly,
                new PrivacyProperties(Map.of(), null, SECRETS.resolve("unused"), Duration.ZERO, 0, false, 500,
                        SECRETS.resolve("unused-ledger"), 1), new ErasureLedger(SECRETS.resolve("unused-ledger")),
                List::of));
        customers.add(newcomer);
        ObjectMapper json = new ObjectMapper();
        for (Identities.Customer customer : customers) {
            String payload = main.queryForObject("""
                    SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                     WHERE aggregate_identifier = ? AND payload_type = 'org.orderly.api.customer.CustomerRegisteredEvent'
                    """, String.class, customer.id());
            String sealed = json.readTree(payload).get("email").asText();
            assertThat(sealed).startsWith("pd1:");
            assertThat(fresh.openText(sealed)).contains(customer.email());
        }

        // a rotation that stopped part way (three data keys still under the old key) goes on when asked again,
        // with the same new key
        MasterKeys stoppedAt = masterKeys("stopped", oldKey, oldFile.getProperty("key." + oldKey), newKey,
                newFile.getProperty("key." + newKey));
        JdbcSubjectKeys stopped = new JdbcSubjectKeys(keys, stoppedAt, new PrivacyProperties(Map.of(), null,
                SECRETS.resolve("unused"), Duration.ZERO, 0, false, 500, SECRETS.resolve("unused-ledger"), 3),
                new ErasureLedger(SECRETS.resolve("unused-ledger")), List::of);
        assertThat(stopped.rewrapBatch(3)).isEqualTo(3);
        assertThat(operator.get("/api/ops/master-keys/rotation").json().get("remaining").asLong()).isEqualTo(3);
        Http.Response resumed = operator.post("/api/ops/master-keys/rotation", null);
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(202);
        JsonNode resumedDone = await().atMost(Duration.ofSeconds(60)).until(
                () -> operator.get("/api/ops/master-keys/rotation").json(),
                view -> !view.get("status").asText().equals("RUNNING"));
        assertThat(resumedDone.get("status").asText()).isEqualTo("DONE");
        assertThat(resumedDone.get("currentMasterKey").asText()).isEqualTo(newKey);
        assertThat(resumedDone.get("rewrapped").asLong()).isEqualTo(3);
        assertThat(resumedDone.get("remaining").asLong()).isZero();

        // the old key, now unused, is retired; the current one and an unknown one are not
        assertThat(operator.request("DELETE", "/api/ops/master-keys/" + newKey, null).status()).isEqualTo(409);
        assertThat(operator.request("DELETE", "/api/ops/master-keys/k99", null).status()).isEqualTo(404);
        assertThat(identities.staff().request("DELETE", "/api/ops/master-keys/" + oldKey, null).status()).isEqualTo(403);
        assertThat(operator.request("DELETE", "/api/ops/master-keys/" + oldKey, null).status()).isEqualTo(204);
        assertThat(read(SECRETS.resolve("master-keys.properties")).stringPropertyNames())
                .containsExactlyInAnyOrder("current", "key." + newKey);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                SECRETS.resolve("master-keys.properties")))).isEqualTo("rw-------");
        assertThat(operator.get("/api/ops/master-keys/rotation").json().get("masterKeys").toString())
                .doesNotContain(oldKey);
        Identities.Customer last = identities.customer("After the retirement " + UUID.randomUUID());
        assertThat(identities.staff().get("/api/customers/" + last.id(), "Orderly-Position", last.position()).json().get("email").asText())
                .isEqualTo(last.email());
    }

    /** A master key file of its own: the first id is current; ids and keys alternate. */
    private static MasterKeys masterKeys(String name, String... idsAndKeys) throws IOException {
        Path file = SECRETS.resolve(name + ".properties");
        Properties keys = new Properties();
        keys.setProperty("current", idsAndKeys[0]);
        for (int i = 0; i < idsAndKeys.length; i += 2) {
            keys.setProperty("key." + idsAndKeys[i], idsAndKeys[i + 1]);
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            keys.store(out, null);
        }
        return MasterKeys.fromFile(file);
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }
}
