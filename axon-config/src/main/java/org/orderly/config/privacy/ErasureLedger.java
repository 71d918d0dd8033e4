package org.orderly.config.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The erasure ledger: the ids (nothing else) of every erased subject, one a line, in an owner-only file kept
 * beside the master keys and, like them, outside the database. A restore brings back the database as it was
 * when the backup was taken, {@code keys.erased_subject} and the erased customers' keys with it; this file is
 * not in a backup and not rolled back by a restore, so it is what erases them again afterwards (at start, see
 * {@link JdbcSubjectKeys#reapply}).
 * <p>
 * An erasure is appended and forced to disk before the subject's key is deleted: an erasure the database
 * knows of is always in the ledger. Lines are only ever appended; a torn last line (a crash mid-write) is
 * ignored.
 */
public final class ErasureLedger {

    private final Path file;
    private final Set<String> known = new LinkedHashSet<>();

    public ErasureLedger(Path file) {
        this.file = file.toAbsolutePath().normalize();
        known.addAll(read(this.file));
    }

    public Path file() {
        return file;
    }

    /** Every subject the ledger names, in the order they were erased. */
    public synchronized Set<String> subjects() {
        return new LinkedHashSet<>(known);
    }

    /** Records the subjects (those not recorded already) and forces them to disk before returning. */
    public synchronized void append(Collection<String> subjects) {
        StringBuilder lines = new StringBuilder();
        Set<String> added = new LinkedHashSet<>();
        for (String subject : subjects) {
            if (subject.isEmpty() || subject.chars().anyMatch(c -> c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("A subject id is one non-empty line");
            }
            if (!known.contains(subject) && added.add(subject)) {
                lines.append(subject).append('\n');
            }
        }
        if (added.isEmpty()) {
            return;
        }
        try {
            boolean created = create();
            // O_APPEND and a lock: nodes sharing the ledger never write over each other's lines
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                 java.nio.channels.FileLock lock = out.lock()) {
                if (!endsWithNewline()) {
                    lines.insert(0, '\n'); // a line a crash cut short stays a line of its own
                }
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            if (created) {
                forceDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record an erasure in the ledger " + file, e);
        }
        known.addAll(added);
    }

    public void append(String subject) {
        append(Set.of(subject));
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, in.size() - 1);
            return last.get(0) == '\n';
        }
    }

    private boolean create() throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.getParent());
        if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        return true;
    }

    /** The new file's directory entry, so that the file itself survives a crash. */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot open a directory for syncing; the file's own force still holds its lines.
        }
    }

    private static Set<String> read(Path file) {
        Set<String> subjects = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return subjects;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            // the last element is what follows the last newline: empty, or a line a crash cut short
            for (int i = 0; i < lines.length - 1; i++) {
                String line = lines[i].strip();
                if (!line.isEmpty()) {
                    subjects.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the erasure ledger " + file, e);
        }
        return subjects;
    }
}
