package org.orderly.config.database;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passwords of the embedded PostgreSQL: its superuser's and those of every role Orderly creates there, in a
 * properties file (role name = password) beside the data directory, {@code <data-directory>-credentials.properties}
 * ({@code .orderly/pgdata-credentials.properties} by default), readable and writable by its owner only (600).
 * <p>
 * Why a file: the server asks every role for a password, and a data directory must keep working after a restart,
 * so the passwords must outlive the JVM; and an operator may need them to look into the database. Why beside the
 * data directory and not in it: {@code initdb} wants an empty directory, and a copy of the data directory (a
 * backup) should not carry its own keys.
 */
public final class EmbeddedCredentials {

    /** The embedded server's superuser, the only role {@code initdb} creates. */
    public static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedCredentials.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final Properties passwords;

    private EmbeddedCredentials(Path file, Properties passwords) {
        this.file = file;
        this.passwords = passwords;
    }

    /** Where the credentials of the embedded server whose data lives in {@code dataDirectory} are kept. */
    public static Path fileFor(Path dataDirectory) {
        Path data = dataDirectory.toAbsolutePath().normalize();
        return data.resolveSibling(data.getFileName() + "-credentials.properties");
    }

    /** The credentials kept for this data directory; none yet if the file does not exist. */
    public static EmbeddedCredentials open(Path dataDirectory) {
        Path file = fileFor(dataDirectory);
        Properties passwords = new Properties();
        if (Files.exists(file)) {
            restrictToOwner(file);
            try (Reader in = Files.newBufferedReader(file)) {
                passwords.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the embedded database's credentials " + file, e);
            }
        }
        return new EmbeddedCredentials(file, passwords);
    }

    public Path file() {
        return file;
    }

    /** Whether a password for {@code role} is kept already. */
    public synchronized boolean has(String role) {
        return passwords.getProperty(role) != null;
    }

    /** The password kept for {@code role}, or {@code null}; never makes one up. */
    public synchronized String kept(String role) {
        return passwords.getProperty(role);
    }

    /** The password kept for {@code role}; a new one, written to the file at once, if there is none yet. */
    public synchronized String passwordFor(String role) {
        String password = passwords.getProperty(role);
        if (password == null) {
            password = DatabaseAdministration.generatePassword();
            passwords.setProperty(role, password);
            write();
        }
        return password;
    }

    /** Deletes the file, with the temporary data directory it belongs to. */
    synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}", file, e);
        }
    }

    /** Replaces the file as a whole (a crash leaves the old or the new one), created owner-only before any byte is in it. */
    private void write() {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(temp);
            createOwnerOnly(temp);
            try (Writer out = Files.newBufferedWriter(temp)) {
                passwords.store(out, "Passwords of the embedded PostgreSQL's roles (written by Orderly; keep it owner-only)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the embedded database's credentials " + file, e);
        }
    }

    /** An empty file only its owner may read, or, where the file system knows no POSIX permissions, a plain one. */
    static void createOwnerOnly(Path path) throws IOException {
        if (posix(path.getParent())) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // The umask cannot widen permissions given at creation, but set them again in case of odd defaults.
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        } else {
            Files.createFile(path);
            log.warn("{} is on a file system without POSIX permissions: restrict who may read it by other means", path);
        }
    }

    /** A credentials file someone made readable to others is made owner-only again, loudly. */
    private static void restrictToOwner(Path file) {
        if (!posix(file.getParent())) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                log.warn("{} was readable or writable beyond its owner; restricted to its owner (600) again", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restrict " + file + " to its owner", e);
        }
    }

    private static boolean posix(Path directory) {
        return Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null;
    }
}
