package org.orderly.config.backup;

import java.net.URI;
import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orderly.config.ops.OpsViews;
import org.orderly.config.web.ProblemJson;
import org.springframework.http.MediaType;
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
@Tag(name = "Operations")
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
    @Operation(operationId = "startBackup", summary = "Take a base backup of the embedded database",
            description = """
                    Copies the running embedded PostgreSQL with its low-level backup API, with the WAL it needs, into \
                    the backup directory, while Orderly keeps serving. Follow it at the Location until DONE. An \
                    external PostgreSQL is backed up with its own tools (docs/operations/backup-and-restore.md).""")
    @ApiResponse(responseCode = "202", description = "Started; Location is the backup",
            headers = @Header(name = "Location", description = "The backup, to follow: /api/ops/backups/{id}",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "Another backup is running, or the database is external",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "A backup is already running", "instance": "/api/ops/backups"}""")))
    @PostMapping
    ResponseEntity<Backups.BackupView> start(Principal operator) {
        Backups.BackupView backup = backups.start(operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/backups/" + backup.backupId())).body(backup);
    }

    @Operation(operationId = "getBackup", summary = "Read a backup's progress or result",
            description = "Its phase, how far it has come, and once DONE its size and WAL positions.")
    @ApiResponse(responseCode = "200", description = "The backup")
    @ApiResponse(responseCode = "404", description = "No backup with that id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Backup 20261205T101500Z does not exist",
                         "instance": "/api/ops/backups/20261205T101500Z"}""")))
    @GetMapping("/{id}")
    Backups.BackupView backup(@PathVariable String id) {
        return backups.find(id).orElseThrow(() -> Problems.notFound("Backup " + id));
    }

    /** The running backup and the finished ones in the backup directory, newest first. */
    @Operation(operationId = "listBackups", summary = "List the backups",
            description = "The running backup and the finished ones in the backup directory, newest first.")
    @ApiResponse(responseCode = "200", description = "One page of backups")
    @GetMapping
    OpsViews.Page<Backups.BackupView> recent(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(backups.recent(Pagination.limit(limit)), null);
    }
}
