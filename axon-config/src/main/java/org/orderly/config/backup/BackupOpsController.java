package org.orderly.config.backup;

import java.net.URI;
import java.security.Principal;

import org.orderly.config.ops.OpsViews;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Base backups of the embedded PostgreSQL, for operators: one is asked for, then followed at its Location. */
@RestController
@RequestMapping("/api/ops/backups")
public class BackupOpsController {

    private final Backups backups;

    public BackupOpsController(Backups backups) {
        this.backups = backups;
    }

    /**
     * Starts a base backup of the running database into the backup directory; 202 with the backup's address,
     * which shows its progress and, once DONE, its size and WAL positions. 409 while another runs, and with an
     * external PostgreSQL (back that up with PostgreSQL's own tools).
     */
    @PostMapping
    ResponseEntity<Backups.BackupView> start(Principal operator) {
        Backups.BackupView backup = backups.start(operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/backups/" + backup.backupId())).body(backup);
    }

    @GetMapping("/{id}")
    Backups.BackupView backup(@PathVariable String id) {
        return backups.find(id).orElseThrow(() -> Problems.notFound("Backup " + id));
    }

    /** The running backup and the finished ones in the backup directory, newest first. */
    @GetMapping
    OpsViews.Page<Backups.BackupView> recent(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(backups.recent(Pagination.limit(limit)), null);
    }
}
