package org.orderly.config.privacy;

import java.net.URI;
import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orderly.config.web.ProblemJson;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Master key rotation, for operators: started, followed at its Location, and old keys retired afterwards. */
@RestController
@Tag(name = "Operations")
@RequestMapping("/api/ops/master-keys")
class MasterKeyOpsController {

    private final MasterKeyRotation rotation;

    MasterKeyOpsController(MasterKeyRotation rotation) {
        this.rotation = rotation;
    }

    @Operation(operationId = "rotateMasterKey", summary = "Rotate the master key that wraps the data keys",
            description = """
                    Rewraps every customer's data key with the current master key, in batches, while reads go on. \
                    With master keys from the master key file, a new key is first added to the file and made \
                    current (unless an earlier rotation still has data keys to rewrap: then it goes on); with \
                    configured master keys, make the new one current in the configuration first. Follow it at the \
                    Location until DONE; asking again after a stop goes on where it was.""")
    @ApiResponse(responseCode = "202", description = "Started; Location is the rotation, to follow",
            headers = @Header(name = "Location", description = "/api/ops/master-keys/rotation",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "A rotation is already running on this node",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "A master key rotation is already running",
                         "instance": "/api/ops/master-keys/rotation"}""")))
    @PostMapping("/rotation")
    ResponseEntity<MasterKeyRotation.RotationView> rotate(Principal operator) {
        MasterKeyRotation.RotationView started = rotation.start(operator == null ? null : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/master-keys/rotation")).body(started);
    }

    @Operation(operationId = "getMasterKeyRotation", summary = "Follow the master key rotation",
            description = """
                    The rotation this node ran last (IDLE when none), the current master key, and how many data \
                    keys each master key wraps now: remaining is what is still wrapped by another than the current \
                    one.""")
    @ApiResponse(responseCode = "200", description = "The rotation and the data keys per master key")
    @GetMapping("/rotation")
    MasterKeyRotation.RotationView rotation() {
        return rotation.view();
    }

    @Operation(operationId = "retireMasterKey", summary = "Retire a master key no data key uses any more",
            description = """
                    Removes the key from the master key file. A backup taken before the rotation holds data keys \
                    wrapped by it: keep a copy of the key (offline) as long as such backups are kept.""")
    @ApiResponse(responseCode = "204", description = "Retired")
    @ApiResponse(responseCode = "404", description = "No master key with that id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No master key k9", "instance": "/api/ops/master-keys/k9"}""")))
    @ApiResponse(responseCode = "409", description = "It is the current key, still wraps data keys, or is configured",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "Master key k1 still wraps 1200 data keys: rotate first",
                         "instance": "/api/ops/master-keys/k1"}""")))
    @DeleteMapping("/{id}")
    ResponseEntity<Void> retire(@PathVariable String id) {
        rotation.retire(id);
        return ResponseEntity.noContent().build();
    }
}
