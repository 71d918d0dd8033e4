package org.orderly.config.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class BaseBackupTest {

    @Test
    void aBackupLeavesOutTheRunningServersOwnFilesAndTheContentsOfItsTransientDirectoriesButKeepsTheDirectories() {
        for (String left : new String[] {"postmaster.pid", "postmaster.opts", "epg-lock", "backup_label",
                "tablespace_map", "recovery.signal", "standby.signal", "pg_wal/000000010000000000000001",
                "pg_wal/archive_status", "pg_replslot/orderly_backup_x", "pg_stat_tmp/global.stat",
                "pg_subtrans/0000", "base/5/pgsql_tmp", "base/5/pgsql_tmp123.0", "global/pg_internal.init"}) {
            assertThat(BaseBackup.included(Path.of(left))).as(left).isFalse();
        }
        for (String kept : new String[] {"pg_wal", "pg_replslot", "pg_stat_tmp", "pg_subtrans", "base/5/16384",
                "global/pg_control", "pg_xact/0000", "postgresql.conf", "postgresql.auto.conf", "pg_hba.conf",
                "PG_VERSION", "base/5/16384_fsm"}) {
            assertThat(BaseBackup.included(Path.of(kept))).as(kept).isTrue();
        }
    }

    @Test
    void aRestoreTargetIsTheLatestTheEndOfTheBackupOrAMomentWithAnOffset() {
        assertThat(Restore.Target.parse(null)).isInstanceOf(Restore.Target.Latest.class);
        assertThat(Restore.Target.parse("latest")).isInstanceOf(Restore.Target.Latest.class);
        assertThat(Restore.Target.parse("backup")).isInstanceOf(Restore.Target.EndOfBackup.class);
        assertThat(Restore.Target.parse("2026-12-05T10:30:00+01:00"))
                .isEqualTo(new Restore.Target.Time(Instant.parse("2026-12-05T09:30:00Z")));
        assertThatThrownBy(() -> Restore.Target.parse("2026-12-05 09:30")).isInstanceOf(RuntimeException.class);
    }
}
