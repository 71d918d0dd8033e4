package org.orderly.config.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one value of personal data with its subject's key (AES-256-GCM from the JDK: authenticated, so a
 * changed or moved value fails to open rather than reading as something else) into a text that names its
 * subject: {@code pd1:<subject>:<base64url(nonce | ciphertext | tag)>}. The subject is the additional
 * authenticated data, so a value cannot be moved to another subject's message.
 * <p>
 * Naming the subject in the text lets a reader open a value without knowing the message it came from, and lets
 * the one-time migration tell sealed values from plaintext ones.
 */
public final class PersonalDataCipher {

    static final String PREFIX = "pd1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * One cipher object per thread, initialised anew for each value (with its own nonce): looking the algorithm up
     * through the providers for every value cost more than the encryption itself.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK offers no AES-GCM", e);
        }
    });

    /** This thread's AES-GCM cipher, to be initialised for each use (the master keys use it too). */
    static Cipher aesGcm() {
        return CIPHERS.get();
    }

    private final SubjectKeys keys;
    private final SecureRandom random = new SecureRandom();

    public PersonalDataCipher(SubjectKeys keys) {
        this.keys = keys;
    }

    /** Whether a stored text is a sealed value (and not plaintext written before personal data was sealed). */
    public static boolean isSealed(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The subject a sealed value belongs to. */
    public static String subjectOf(String sealed) {
        int end = sealed.indexOf(':', PREFIX.length());
        if (!isSealed(sealed) || end < 0) {
            throw new IllegalArgumentException("Not a sealed value");
        }
        return sealed.substring(PREFIX.length(), end);
    }

    public String seal(String subject, byte[] plaintext) {
        if (subject == null || subject.isEmpty() || subject.indexOf(':') >= 0) {
            throw new IllegalArgumentException("A subject id is neither empty nor contains ':'");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.keyForWriting(subject), nonce, subject, plaintext, 0,
                plaintext.length);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return PREFIX + subject + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    public String seal(String subject, String plaintext) {
        return seal(subject, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** The plaintext, or empty once the subject's key is gone (erased). */
    public Optional<byte[]> open(String sealed) {
        String subject = subjectOf(sealed);
        byte[] in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length() + subject.length() + 1));
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("A sealed value too short to hold a nonce and a tag");
        }
        byte[] nonce = java.util.Arrays.copyOf(in, NONCE_BYTES);
        return keys.keyForReading(subject)
                .map(key -> crypt(Cipher.DECRYPT_MODE, key, nonce, subject, in, NONCE_BYTES, in.length - NONCE_BYTES));
    }

    public Optional<String> openText(String sealed) {
        return open(sealed).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String subject, byte[] input, int offset,
                                int length) {
        try {
            Cipher cipher = aesGcm();
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Personal data of subject " + subject + " could not be "
                    + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened: it was changed, or sealed with another key"), e);
        }
    }
}
