package org.orderly.config.ops;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster at a glance, for operators: nodes, their segments, holds, and the sampled trends. */
@RestController
@Tag(name = "Operations", description = "Event processors, replays, rebuilds, stuck sagas and dead letters, for operators")
@RequestMapping("/api/ops")
public class ClusterOpsController {

    private final ClusterView cluster;

    public ClusterOpsController(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Operation(operationId = "getCluster", summary = "Read the cluster: nodes, segments and trends",
            description = """
                    Every live node with the segments it claims per processor (read from the token tables, so any \
                    node answers the same), the processors held for a replay or rebuild, and the samples this node \
                    took over the last minutes (orderly.ops.sample-window): the event store's head and append rate, \
                    and per processor its lag and throughput.""")
    @ApiResponse(responseCode = "200", description = "The cluster now, and its recent trends")
    @GetMapping("/cluster")
    OpsViews.Cluster cluster() {
        return cluster.now();
    }
}
