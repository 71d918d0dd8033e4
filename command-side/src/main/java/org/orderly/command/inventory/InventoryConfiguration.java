package org.orderly.command.inventory;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inventory command side's configuration: snapshots for its long-lived items. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InventoryProperties.class)
class InventoryConfiguration {

    static final String SNAPSHOT_TRIGGER = "inventorySnapshotTrigger";

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition inventorySnapshotTrigger(Snapshotter snapshotter, InventoryProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotAfter());
    }
}
