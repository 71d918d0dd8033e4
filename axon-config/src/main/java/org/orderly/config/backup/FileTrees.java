package org.orderly.config.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/** Directory trees copied, measured, synced and deleted, for backups and restores. */
final class FileTrees {

    private FileTrees() {
    }

    /**
     * Copies the regular files and directories under {@code from} that {@code included} accepts (given their path
     * relative to {@code from}) into {@code to}, telling {@code copied} the bytes of each file. A file that vanishes
     * while the tree is walked is skipped: a live data directory drops files (a dropped table, a finished
     * temporary file), and whatever the backup then needs of them is in the WAL.
     */
    static void copy(Path from, Path to, Predicate<Path> included, LongConsumer copied) throws IOException {
        OwnerOnly.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path relative = from.relativize(dir);
                if (relative.toString().isEmpty()) {
                    return FileVisitResult.CONTINUE;
                }
                if (!included.test(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                OwnerOnly.createDirectories(to.resolve(relative.toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path relative = from.relativize(file);
                if (attributes.isRegularFile() && included.test(relative)) {
                    try {
                        Path target = to.resolve(relative.toString());
                        Files.copy(file, target);
                        copied.accept(Files.size(target));
                    } catch (NoSuchFileException vanished) {
                        // dropped by the server while the tree was walked
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /** Bytes of the regular files under {@code root} that {@code included} accepts. */
    static long size(Path root, Predicate<Path> included) throws IOException {
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                Path relative = root.relativize(dir);
                return relative.toString().isEmpty() || included.test(relative) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && included.test(root.relativize(file))) {
                    total[0] += attributes.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return total[0];
    }

    /** Forces every file and directory under {@code root} to disk, so a backup that says it is done survives a power cut. */
    static void sync(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                force(path);
            }
        }
    }

    static void syncDirectory(Path directory) throws IOException {
        force(directory);
    }

    /** Deletes a tree if it exists. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void force(Path path) throws IOException {
        // Opening for reading and forcing the channel syncs a file or a directory on Linux.
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
