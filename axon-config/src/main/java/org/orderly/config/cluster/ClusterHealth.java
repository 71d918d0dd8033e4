package org.orderly.config.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health {@code cluster}: this node, the live nodes with what each runs and its last heartbeat, and this node's
 * share of each processor's segments, as of this node's last heartbeat. It asks the database nothing: a health
 * check must answer at once when the database is gone (the {@code db} check reports that failure). UP while the
 * last heartbeat is recent (a cluster of one is a cluster); UNKNOWN once it is older than the liveness bound, for
 * the other nodes then count this one dead.
 */
final class ClusterHealth implements HealthIndicator {

    private final ClusterNodes nodes;
    private final SegmentBalance balance;
    private final java.time.Duration liveness;

    ClusterHealth(ClusterNodes nodes, SegmentBalance balance, java.time.Duration liveness) {
        this.nodes = nodes;
        this.balance = balance;
        this.liveness = liveness;
    }

    @Override
    public Health health() {
        ClusterNodes.Seen seen = nodes.lastSeen();
        if (seen.at() == null || seen.at().isBefore(java.time.Instant.now().minus(liveness))) {
            return Health.unknown().withDetail("node", nodes.self())
                    .withDetail("lastHeartbeat", seen.at() == null ? "none" : seen.at().toString()).build();
        }
        List<ClusterNode> live = seen.live();
        List<Map<String, Object>> shown = live.stream().map(node -> {
            Map<String, Object> each = new LinkedHashMap<>();
            each.put("node", node.nodeId());
            each.put("role", node.role().label());
            each.put("startedAt", node.startedAt().toString());
            each.put("lastHeartbeat", node.lastHeartbeat().toString());
            each.put("processors", node.processors().size());
            return each;
        }).toList();
        Map<String, Object> shares = new LinkedHashMap<>();
        balance.shares().forEach((processor, share) ->
                shares.put(processor, share == SegmentBalance.UNLIMITED ? "all" : share));
        return Health.up().withDetail("node", nodes.self()).withDetail("role", nodes.role().label())
                .withDetail("liveNodes", shown).withDetail("segmentShares", shares).build();
    }
}
