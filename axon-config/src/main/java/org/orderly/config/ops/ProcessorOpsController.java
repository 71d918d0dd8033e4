package org.orderly.config.ops;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Processor status, replays and rebuilds, for operators. */
@RestController
@RequestMapping("/api/ops")
public class ProcessorOpsController {

    private final ProcessorCatalog processors;
    private final Replays replays;
    private final Sagas sagas;
    private final Rebuilds rebuilds;

    public ProcessorOpsController(ProcessorCatalog processors, Replays replays, Sagas sagas, Rebuilds rebuilds) {
        this.processors = processors;
        this.replays = replays;
        this.sagas = sagas;
        this.rebuilds = rebuilds;
    }

    /** Every processor; a handful, so one page. */
    @GetMapping("/processors")
    OpsViews.Page<OpsViews.Processor> processors() {
        return new OpsViews.Page<>(processors.all(), null);
    }

    @GetMapping("/processors/{name}")
    OpsViews.Processor processor(@PathVariable String name) {
        return processors.find(name).orElseThrow(() -> Problems.notFound("Processor " + name));
    }

    @PostMapping("/processors/{name}/replay")
    ResponseEntity<OpsViews.Replay> replay(@PathVariable String name, Principal operator) {
        OpsViews.Replay replay = replays.start(name, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/replays/" + replay.replayId())).body(replay);
    }

    @GetMapping("/replays/{id}")
    OpsViews.Replay replayOf(@PathVariable UUID id) {
        return replays.find(id).orElseThrow(() -> Problems.notFound("Replay " + id));
    }

    /** The most recent replays first, running or ended. */
    @GetMapping("/replays")
    OpsViews.Page<OpsViews.Replay> recentReplays(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(replays.recent(org.orderly.config.web.Pagination.limit(limit)), null);
    }

    /**
     * Rebuilds the whole read schema of the domain {@code name} belongs to, without downtime: every projection
     * processor of that domain is rebuilt into a shadow schema, which is swapped in once it has caught up.
     */
    @PostMapping("/processors/{name}/rebuild")
    ResponseEntity<OpsViews.Rebuild> rebuild(@PathVariable String name, Principal operator) {
        OpsViews.Rebuild rebuild = rebuilds.start(name, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/rebuilds/" + rebuild.rebuildId())).body(rebuild);
    }

    @GetMapping("/rebuilds/{id}")
    OpsViews.Rebuild rebuildOf(@PathVariable UUID id) {
        return rebuilds.find(id).orElseThrow(() -> Problems.notFound("Rebuild " + id));
    }

    /** The most recent rebuilds first, running or ended. */
    @GetMapping("/rebuilds")
    OpsViews.Page<OpsViews.Rebuild> recentRebuilds(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(rebuilds.recent(org.orderly.config.web.Pagination.limit(limit)), null);
    }

    /** Saga processors in an error state: their segments stop, so every saga in them waits. */
    @GetMapping("/sagas/failing-processors")
    OpsViews.Page<OpsViews.Processor> failingSagaProcessors() {
        return new OpsViews.Page<>(sagas.failingProcessors(), null);
    }

    /** Sagas running or compensating past their deadline: their deadline did not fire, or its handler keeps failing. */
    @GetMapping("/sagas/past-deadline")
    OpsViews.Page<org.orderly.api.workflow.WorkflowView> sagasPastDeadline(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(sagas.pastDeadline(org.orderly.config.web.Pagination.limit(limit)), null);
    }
}
