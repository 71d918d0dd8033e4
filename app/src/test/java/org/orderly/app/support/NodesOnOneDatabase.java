package org.orderly.app.support;

import java.util.HashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.context.ConfigurableApplicationContext;

/** What the tests of several nodes on one database start a further node with. */
public final class NodesOnOneDatabase {

    private NodesOnOneDatabase() {
    }

    /**
     * Another node on node A's database, reached as an external one with the roles node A provisioned: its
     * properties, under this node id.
     */
    public static Map<String, Object> anotherNode(ConfigurableApplicationContext nodeA, String nodeId) {
        OrderlyDatabase db = nodeA.getBean(OrderlyDatabase.class);
        Map<String, Object> props = new HashMap<>();
        props.put("orderly.node-id", nodeId);
        props.put("orderly.database.url", db.url());
        props.put("orderly.database.username", db.username());
        props.put("orderly.database.password", db.password());
        props.put("orderly.database.owner-username", db.ownerUsername());
        props.put("orderly.database.owner-password", db.ownerPassword());
        props.put("orderly.database.manage-roles", "false");
        props.put("orderly.database.embedded.data-directory", OrderlyTestDatabase.freshDirectory().toString());
        for (DomainStore store : nodeA.getBean(DomainStores.class).all()) {
            props.put("orderly.domains." + store.name() + ".password",
                    ((HikariDataSource) store.dataSource()).getPassword());
        }
        return props;
    }
}
