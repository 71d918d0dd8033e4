package org.orderly.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NodesOnOneDatabase;
import org.orderly.app.web.ReadYourWritesIT;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Read your own writes whichever node answers: two nodes on one database, a change made on one, read on the
 * other with the change's {@code Orderly-Position}. The customers projection's one segment is processed by one
 * node (node A, which claimed it first), so a read on the other node learns from the token table that the
 * processing node has passed the position, and a read on the processing node waits for a change made elsewhere.
 */
class ReadYourWritesAcrossNodesIT {

    /** One issuer name on both nodes, whose signing keys live in the shared database. */
    private static final String ISSUER = "http://orderly.nodes.test";

    @Test
    void aChangeMadeOnOneNodeIsReadWithItsPositionOnTheOtherEveryTime() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        database.put("orderly.node-id", "node-a");
        try (ConfigurableApplicationContext nodeA = start(database)) {
            try (ConfigurableApplicationContext nodeB = start(NodesOnOneDatabase.anotherNode(nodeA, "node-b"))) {
                Identities onA = new Identities(port(nodeA));
                Identities onB = new Identities(port(nodeB));
                Identities.Customer ada = onA.customer("Ada " + UUID.randomUUID());
                String token = onA.token(ada.email(), Identities.CUSTOMER_PASSWORD);
                Http adaOnA = onA.anonymous().as(token);
                // Node A's issuer signed this token; node B accepts it, the keys and the issuer name being shared.
                Http adaOnB = onB.anonymous().as(token);

                Http.Response signedUp = adaOnB.get("/api/customers/" + ada.id(), ReadYourWritesIT.POSITION,
                        ada.position());
                assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(200);

                for (int i = 0; i < 20; i++) {
                    boolean writeOnA = i % 2 == 0;
                    Http writer = writeOnA ? adaOnA : adaOnB;
                    Http reader = writeOnA ? adaOnB : adaOnA;
                    String email = "ada-" + i + "-" + UUID.randomUUID() + "@example.com";
                    Http.Response changed = writer.put("/api/customers/" + ada.id() + "/email",
                            "{\"email\": \"" + email + "\"}");
                    assertThat(changed.status()).as(changed.toString()).isEqualTo(204);

                    Http.Response read = reader.get("/api/customers/" + ada.id(), ReadYourWritesIT.POSITION,
                            changed.header(ReadYourWritesIT.POSITION));

                    assertThat(read.status()).as(read.toString()).isEqualTo(200);
                    assertThat(read.json().get("email").asText())
                            .as("change %d made on node %s, read on the other", i, writeOnA ? "A" : "B")
                            .isEqualTo(email);
                    assertThat(read.header(ReadYourWritesIT.REACHED)).isEqualTo("true");
                }
            }
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("orderly.security.embedded.issuer", ISSUER);
        // Command-line arguments: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(all)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
