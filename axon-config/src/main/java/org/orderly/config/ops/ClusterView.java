package org.orderly.config.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;

/**
 * The cluster as the database shows it: which node claims which segments (the token tables' owners, so every
 * node answers the same), the live nodes that claim nothing, the processor holds, and the sampled trends.
 */
public class ClusterView {

    private final DomainStores stores;
    private final LiveNodes liveNodes;
    private final ProcessorHolds holds;
    private final ClusterSamples samples;
    private final Clock clock;

    public ClusterView(DomainStores stores, LiveNodes liveNodes, ProcessorHolds holds, ClusterSamples samples,
                       Clock clock) {
        this.stores = stores;
        this.liveNodes = liveNodes;
        this.holds = holds;
        this.samples = samples;
        this.clock = clock;
    }

    public OpsViews.Cluster now() {
        Instant lapsedBefore = clock.instant().minus(ProcessorHolds.CLAIM_LAPSES_AFTER);
        // node -> processor -> segments, and the nodes with at least one claim still current
        Map<String, Map<String, TreeSet<Integer>>> claims = new TreeMap<>();
        TreeSet<String> current = new TreeSet<>();
        for (DomainStore store : stores.all()) {
            if (store.processingGroups().isEmpty() && store.sagaProcessingGroups().isEmpty()) {
                continue; // a store no processor writes (the audit log's) has no token table
            }
            store.jdbc().query("SELECT processor_name, segment, owner, time_stamp FROM token_entry "
                    + "WHERE owner IS NOT NULL AND processor_name <> '__config'", rs -> {
                String owner = rs.getString("owner");
                claims.computeIfAbsent(owner, o -> new TreeMap<>())
                        .computeIfAbsent(rs.getString("processor_name"), p -> new TreeSet<>())
                        .add(rs.getInt("segment"));
                if (!claimedBefore(rs.getString("time_stamp"), lapsedBefore)) {
                    current.add(owner);
                }
            });
        }
        for (String live : liveNodes.ids()) {
            claims.computeIfAbsent(live, o -> new TreeMap<>());
            current.add(live);
        }
        List<OpsViews.ClusterNode> nodes = new ArrayList<>();
        claims.forEach((node, processors) -> nodes.add(new OpsViews.ClusterNode(node, node.equals(stores.nodeId()),
                !current.contains(node), processors.entrySet().stream()
                .map(e -> new OpsViews.ProcessorSegments(e.getKey(), List.copyOf(e.getValue()))).toList())));
        return new OpsViews.Cluster(stores.nodeId(), nodes, List.copyOf(holds.holds().values()), samples.trends());
    }

    private static boolean claimedBefore(String timestamp, Instant before) {
        try {
            return timestamp != null && Instant.parse(timestamp).isBefore(before);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
