package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErasureLedgerTest {

    @TempDir
    Path directory;

    @Test
    void erasuresAreAppendedOnceEachToAnOwnerOnlyFileThatANewLedgerReadsBack() throws IOException {
        Path file = directory.resolve("secrets").resolve("erased-subjects");
        ErasureLedger ledger = new ErasureLedger(file);

        ledger.append("a");
        ledger.append(List.of("b", "a", "c"));
        ledger.append("b");

        assertThat(Files.readString(file)).isEqualTo("a\nb\nc\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new ErasureLedger(file).subjects()).containsExactly("a", "b", "c");
    }

    @Test
    void aLineACrashCutShortIsIgnoredAndTheNextErasureStartsALineOfItsOwn() throws IOException {
        Path file = directory.resolve("erased-subjects");
        Files.writeString(file, "a\nb\nhalf-writ", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);

        ErasureLedger ledger = new ErasureLedger(file);
        assertThat(ledger.subjects()).containsExactly("a", "b");
        ledger.append("c");

        assertThat(new ErasureLedger(file).subjects()).containsExactly("a", "b", "half-writ", "c");
    }
}
