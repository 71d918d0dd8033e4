package org.orderly.config.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health {@code cluster}: this node, the live nodes with what each runs and its last heartbeat, and this node's
 * share of each processor's segments. Always UP when the registry answers (a cluster of one is a cluster);
 * UNKNOWN when it does not, which the {@code db} check reports as the failure it is.
 */
final class ClusterHealth implements HealthIndicator {

    private final ClusterNodes nodes;
    private final SegmentBalance balance;

    ClusterHealth(ClusterNodes nodes, SegmentBalance balance) {
        this.nodes = nodes;
        this.balance = balance;
    }

    @Override
    public Health health() {
        List<ClusterNode> live;
        try {
            live = nodes.live();
        } catch (RuntimeException e) {
            return Health.unknown().withDetail("node", nodes.self()).withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
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
