package org.orderly.config.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and directories only their owner may read: a backup holds every customer's data, the password hashes and
 * the token signing key, and the passwords files beside it hold the database's passwords in clear.
 */
final class OwnerOnly {

    private OwnerOnly() {
    }

    /** The directory and any missing parents; those created here are 0700. */
    static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return;
        }
        if (absolute.getParent() != null) {
            createDirectories(absolute.getParent());
        }
        if (posix(absolute.getParent())) {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(absolute);
        }
    }

    /** Restricts an existing directory to its owner (PostgreSQL also insists on it for a data directory). */
    static void restrictDirectory(Path directory) throws IOException {
        if (posix(directory)) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Copies a file so that the copy is owner-only (0600) before any byte is in it. */
    static void copy(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (posix(to.getParent())) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        // Into the file as created: a copy that replaces it would take the umask's permissions instead.
        try (OutputStream out = Files.newOutputStream(temp)) {
            Files.copy(from, out);
        }
        Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean posix(Path path) {
        return path != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
