package org.orderly.app.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ReturnsTestSupport.line;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.ReturnsTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/** A tiny return window and receipt timeout, so that both run out while the test watches. */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@TestPropertySource(properties = {"orderly.returns.window=PT10S", "orderly.returns.receipt-timeout=PT2S"})
class ReturnDeadlinesIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Http http;
    ReturnsTestSupport returns;

    @BeforeEach
    void setUp() {
        returns = new ReturnsTestSupport(new Identities(port));
        http = returns.staff();
    }

    @Test
    void goodsThatNeverArriveWithdrawTheReturnAndAfterTheWindowARequestIsRejected() throws InterruptedException {
        String customer = returns.customer();
        String pen = returns.product("Pen", "1.50", 10);
        String orderId = returns.deliveredOrder(customer, line(pen, 2));
        Instant delivered = Instant.now();

        String unsent = returns.returned(orderId, line(pen, 2));
        JsonNode withdrawn = returns.awaitReturnStatus(unsent, "REJECTED");
        assertThat(eventStore.queryForList("""
                SELECT payload_type FROM event_store.domain_event_entry WHERE aggregate_identifier = ?
                 ORDER BY sequence_number
                """, String.class, unsent)).as("requested within the window: approved, then withdrawn")
                .containsExactly("org.orderly.api.returns.ReturnRequestedEvent",
                        "org.orderly.api.returns.ReturnApprovedEvent", "org.orderly.api.returns.ReturnRejectedEvent");
        assertThat(withdrawn.get("rejectionReason").asText()).contains("did not arrive");
        assertThat(http.post("/api/returns/" + unsent + "/receipt", null).status()).isEqualTo(409);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), delivered.plusSeconds(11)).toMillis()));
        String late = returns.returned(orderId, line(pen, 1));

        JsonNode rejected = returns.awaitReturnStatus(late, "REJECTED");
        assertThat(rejected.get("rejectionReason").asText()).contains("return window");
        assertThat(rejected.get("refund").isNull()).isTrue();
        assertThat(http.get("/api/inventory/" + pen).json().get("onHand").asInt()).as("nothing restocked").isEqualTo(8);
    }
}
