package org.orderly.config.privacy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap every subject's data key (AES-256-GCM, the subject id as additional data). They
 * live outside the database, so that a copy of the database (a backup, a stolen disk) opens no personal data
 * without them: in {@code orderly.privacy.master-keys} or, by default, in an owner-only file that is created
 * with one key on first start. Several keys may be known at once; new data keys are wrapped with the current
 * one, and a rotation rewraps the others before an old key is retired.
 */
public final class MasterKeys {

    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The keys and which one is current, replaced as a whole so that a reader always sees a matching pair. */
    private record State(Map<String, SecretKey> keys, String current) {
        State {
            if (!keys.containsKey(current)) {
                throw new IllegalArgumentException("The current master key " + current + " is not among the known ones");
            }
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }
    }

    private volatile State state;
    /** The file the keys come from, or {@code null} when they are configured. */
    private final Path file;

    MasterKeys(Map<String, SecretKey> keys, String current) {
        this(keys, current, null);
    }

    private MasterKeys(Map<String, SecretKey> keys, String current, Path file) {
        this.state = new State(keys, current);
        this.file = file;
    }

    /** The keys configured, or else those of {@code file}, created with one new key when it does not exist. */
    static MasterKeys load(PrivacyProperties properties) {
        if (!properties.masterKeys().isEmpty()) {
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            properties.masterKeys().forEach((id, encoded) -> keys.put(id, decode(id, encoded)));
            String current = properties.currentMasterKey() != null ? properties.currentMasterKey()
                    : keys.keySet().iterator().next();
            return new MasterKeys(keys, current);
        }
        return fromFile(properties.masterKeyFile());
    }

    /** The keys of an owner-only master key file, created with one new key when it does not exist. */
    public static MasterKeys fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            Properties stored = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(in);
            }
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            for (String name : stored.stringPropertyNames()) {
                if (name.startsWith("key.")) {
                    String id = name.substring("key.".length());
                    keys.put(id, decode(id, stored.getProperty(name)));
                }
            }
            return new MasterKeys(keys, stored.getProperty("current"), file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the master key file " + file, e);
        }
    }

    /**
     * Writes a file with one new key beside {@code file}, then moves it into place only if none is there yet: two
     * nodes starting at once on one directory end with one file, the first one's, and neither reads a half-written one.
     */
    private static void create(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path draft = Files.createTempFile(directory, file.getFileName().toString(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Properties created = new Properties();
            String id = "k1";
            created.setProperty("current", id);
            created.setProperty("key." + id, Base64.getEncoder().encodeToString(newKeyBytes()));
            try (Writer out = Files.newBufferedWriter(draft, StandardCharsets.UTF_8)) {
                created.store(out, "Orderly master keys: they open every customer's personal data. Back this file "
                        + "up apart from the database, and keep it owner-only.");
            }
            try {
                // a hard link fails when the name exists, unlike a move, which would replace another node's file
                Files.createLink(file, draft);
            } catch (java.nio.file.FileAlreadyExistsException anotherNodeWasFirst) {
                // its keys are the ones every node uses
            }
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    /** The id of the key new data keys are wrapped with. */
    public String currentId() {
        return state.current();
    }

    /** The ids of every key this node knows, the current one among them. */
    public Set<String> ids() {
        return state.keys().keySet();
    }

    /** Whether the keys come from the master key file (which a rotation may change), not from configuration. */
    public boolean fromFile() {
        return file != null;
    }

    /**
     * A new master key, made current in the file (the others stay, so that every data key still opens while a
     * rotation rewraps them). Only for keys from the file; configured keys are rotated in the configuration.
     *
     * @return the new key's id
     */
    synchronized String addCurrent() {
        requireFile();
        State now = state;
        int next = 1;
        while (now.keys().containsKey("k" + next)) {
            next++;
        }
        String id = "k" + next;
        Map<String, SecretKey> keys = new LinkedHashMap<>(now.keys());
        keys.put(id, new SecretKeySpec(newKeyBytes(), "AES"));
        State changed = new State(keys, id);
        store(changed);
        state = changed;
        return id;
    }

    /** Forgets a key that is not current, in the file; only for keys from the file. */
    synchronized void retire(String id) {
        requireFile();
        State now = state;
        if (id.equals(now.current())) {
            throw new IllegalStateException("Master key " + id + " is the current one");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>(now.keys());
        if (keys.remove(id) == null) {
            throw new IllegalArgumentException("No master key " + id);
        }
        State changed = new State(keys, now.current());
        store(changed);
        state = changed;
    }

    private void requireFile() {
        if (file == null) {
            throw new IllegalStateException("The master keys are configured (orderly.privacy.master-keys): add, make "
                    + "current or remove one there");
        }
    }

    /** Writes the file anew beside itself, owner-only and synced, then moves it over the old one. */
    private void store(State keys) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties stored = new Properties();
            stored.setProperty("current", keys.current());
            keys.keys().forEach((id, key) -> stored.setProperty("key." + id,
                    Base64.getEncoder().encodeToString(key.getEncoded())));
            try (java.io.OutputStream out = Files.newOutputStream(temp)) {
                stored.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), "Orderly master keys: they "
                        + "open every customer's personal data. Back this file up apart from the database, and keep "
                        + "it owner-only.");
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the master key file " + file, e);
        }
    }

    /** A data key wrapped by the master key {@code masterKeyId}. */
    record Wrapped(String masterKeyId, byte[] bytes) {
    }

    /** The data key wrapped by the current master key (the subject as additional data). */
    Wrapped wrap(String subject, SecretKey dataKey) {
        State now = state;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, now.keys().get(now.current()), nonce, subject, dataKey.getEncoded());
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return new Wrapped(now.current(), out);
    }

    public SecretKey unwrap(String masterKeyId, String subject, byte[] wrapped) {
        SecretKey master = state.keys().get(masterKeyId);
        if (master == null) {
            throw new IllegalStateException("The data key of subject " + subject + " is wrapped with master key "
                    + masterKeyId + ", which this node does not know");
        }
        byte[] nonce = java.util.Arrays.copyOf(wrapped, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(wrapped, NONCE_BYTES, wrapped.length);
        return new SecretKeySpec(crypt(Cipher.DECRYPT_MODE, master, nonce, subject, body), "AES");
    }

    static SecretKey newDataKey() {
        return new SecretKeySpec(newKeyBytes(), "AES");
    }

    private static byte[] newKeyBytes() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static SecretKey decode(String id, String encoded) {
        byte[] bytes = Base64.getDecoder().decode(encoded.strip());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("Master key " + id + " must be 32 bytes (base64), not " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String subject, byte[] input) {
        try {
            Cipher cipher = PersonalDataCipher.aesGcm();
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The data key of subject " + subject + " could not be "
                    + (mode == Cipher.ENCRYPT_MODE ? "wrapped" : "unwrapped: wrong master key, or changed"), e);
        }
    }
}
