package org.orderly.config.privacy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What sealing personal data costs, measured rather than asserted: a benchmark, run only on request
 * ({@code ./mvnw -B -q -pl axon-config -am test -Dtest=SealingCostBenchmark -Dorderly.bench.sealing=true
 * -Dsurefire.failIfNoSpecifiedTests=false}), that prints its figures.
 * <p>
 * Registrations: serializing a {@link CustomerRegisteredEvent} as the event store does, in plaintext (as before
 * sealing) and sealed, each with a new customer whose data key is created and stored in a real {@code keys} schema
 * on PostgreSQL. Replay: deserializing stored events of distinct customers, in plaintext and sealed, with the
 * node's key cache cold (every customer's key read from the database, as in a replay of a large store) and warm.
 * The variants alternate in rounds within one JVM, so that the machine's changing speed falls on each alike.
 */
@EnabledIfSystemProperty(named = "orderly.bench.sealing", matches = "true")
class SealingCostBenchmark {

    private static final int EVENTS = Integer.getInteger("orderly.bench.events", 20_000);
    private static final int ROUNDS = Integer.getInteger("orderly.bench.rounds", 4);
    /** Events per fetch of a tracking read ({@code orderly.processors.read-batch-size}'s order of magnitude). */
    private static final int BATCH = 1000;

    @Test
    void printsWhatSealingCostsPerRegistrationAndPerReplayedEvent() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             HikariDataSource keysDataSource = keysStore(postgres)) {
            Flyway.configure().dataSource(keysDataSource).schemas("keys").defaultSchema("keys")
                    .locations("classpath:db/migration/keys").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(keysDataSource);
            MasterKeys master = new MasterKeys(Map.of("k1", MasterKeys.newDataKey()), "k1");
            PrivacyProperties settings = new PrivacyProperties(Map.of(), null, null, Duration.ofMinutes(1), 100_000, false, 500, null, 500);
            // Spring Boot's defaults, which the event serializer's mapper starts from
            ErasureLedger ledger = new ErasureLedger(java.nio.file.Files.createTempDirectory("ledger").resolve("erased"));
            ObjectMapper plain = new ObjectMapper().findAndRegisterModules()
                    .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

            Map<String, List<Double>> perEventMicros = new java.util.LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<CustomerRegisteredEvent> events = registrations(EVENTS);
                JdbcSubjectKeys keys = keys(jdbc, master, settings, ledger);
                ObjectMapper sealing = plain.copy().registerModule(new PersonalDataModule(new PersonalDataCipher(keys)));

                List<byte[]> plainStored = time(perEventMicros, "register: serialize, plaintext", events,
                        plain::writeValueAsBytes);
                List<byte[]> sealedStored = time(perEventMicros, "register: serialize, sealed, new key stored", events,
                        sealing::writeValueAsBytes);
                time(perEventMicros, "register: serialize, sealed, key cached", events, sealing::writeValueAsBytes);

                time(perEventMicros, "replay: deserialize, plaintext", plainStored,
                        bytes -> plain.readValue(bytes, CustomerRegisteredEvent.class));
                ObjectMapper cold = plain.copy().registerModule(new PersonalDataModule(
                        new PersonalDataCipher(keys(jdbc, master, settings, ledger))));
                time(perEventMicros, "replay: deserialize, sealed, keys read from PostgreSQL", sealedStored,
                        bytes -> cold.readValue(bytes, CustomerRegisteredEvent.class));
                time(perEventMicros, "replay: deserialize, sealed, keys cached", sealedStored,
                        bytes -> cold.readValue(bytes, CustomerRegisteredEvent.class));
                // As the event store's tracking reads do: the keys of a fetched batch are read in one query first.
                JdbcSubjectKeys batched = keys(jdbc, master, settings, ledger);
                SubjectKeyPrefetch prefetch = new SubjectKeyPrefetch(batched);
                ObjectMapper prefetched = plain.copy().registerModule(new PersonalDataModule(
                        new PersonalDataCipher(batched)));
                time(perEventMicros, "replay: deserialize, sealed, keys read per batch of " + BATCH, batches(sealedStored),
                        batch -> {
                            java.util.Set<String> subjects = new java.util.HashSet<>();
                            batch.forEach(bytes -> SubjectKeyPrefetch.subjectsIn(bytes, subjects));
                            batched.prefetch(subjects);
                            for (byte[] bytes : batch) {
                                prefetched.readValue(bytes, CustomerRegisteredEvent.class);
                            }
                            return batch.size();
                        }, BATCH);
                jdbc.update("TRUNCATE subject_key");
            }
            System.out.printf(Locale.ROOT, "%nSealing cost, %d events per variant, %d rounds (first dropped as warm-up)%n",
                    EVENTS, ROUNDS);
            System.out.printf(Locale.ROOT, "| variant | µs/event (median of rounds) | events/s |%n|---|---:|---:|%n");
            perEventMicros.forEach((variant, rounds) -> {
                List<Double> measured = new ArrayList<>(rounds.subList(Math.min(1, rounds.size() - 1), rounds.size()));
                measured.sort(Double::compare);
                double median = measured.get(measured.size() / 2);
                System.out.printf(Locale.ROOT, "| %s | %.2f | %,.0f |%n", variant, median, 1_000_000 / median);
            });
        }
    }

    private static JdbcSubjectKeys keys(JdbcTemplate jdbc, MasterKeys master, PrivacyProperties settings,
                                        ErasureLedger ledger) {
        return new JdbcSubjectKeys(jdbc, master, settings, ledger, List::of);
    }

    private static HikariDataSource keysStore(EmbeddedPostgres postgres) {
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE SCHEMA keys");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=keys");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static List<CustomerRegisteredEvent> registrations(int count) {
        List<CustomerRegisteredEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            events.add(new CustomerRegisteredEvent(new CustomerId(id), "c-" + id + "@example.com", "Customer " + i,
                    Money.of("100.00", "EUR")));
        }
        return events;
    }

    interface Step<T, R> {
        R apply(T value) throws Exception;
    }

    private static List<List<byte[]>> batches(List<byte[]> stored) {
        List<List<byte[]>> batches = new ArrayList<>();
        for (int i = 0; i < stored.size(); i += BATCH) {
            batches.add(stored.subList(i, Math.min(stored.size(), i + BATCH)));
        }
        return batches;
    }

    private static <T, R> List<R> time(Map<String, List<Double>> results, String variant, List<T> inputs,
                                       Step<T, R> step) throws Exception {
        return time(results, variant, inputs, step, 1);
    }

    /** Times {@code step} over every input, per event ({@code eventsPerInput} events in each input). */
    private static <T, R> List<R> time(Map<String, List<Double>> results, String variant, List<T> inputs,
                                       Step<T, R> step, int eventsPerInput) throws Exception {
        List<R> outputs = new ArrayList<>(inputs.size());
        long start = System.nanoTime();
        for (T input : inputs) {
            outputs.add(step.apply(input));
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / ((long) inputs.size() * eventsPerInput);
        results.computeIfAbsent(variant, v -> new ArrayList<>()).add(micros);
        return outputs;
    }
}
