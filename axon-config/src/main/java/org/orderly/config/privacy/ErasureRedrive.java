package org.orderly.config.privacy;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.EraseCustomerCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Once Orderly serves, erases again every customer recorded as erased whose {@link CustomerErasedEvent} the event
 * store lacks: after a restore from a backup older than their erasure (the key is gone already, by the ledger,
 * but the domains' readable copies came back with the backup), or after a crash between deleting the key and
 * recording the event. The customer aggregate handles the repeated {@link EraseCustomerCommand} as the first
 * one: it frees the email and records the event, on which every domain forgets its copies; for a customer erased
 * already it changes nothing.
 */
final class ErasureRedrive implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ErasureRedrive.class);
    private static final int CHUNK = 1000;

    private final JdbcSubjectKeys keys;
    private final JdbcTemplate eventStore;
    private final ObjectProvider<CommandGateway> commands;

    ErasureRedrive(JdbcSubjectKeys keys, JdbcTemplate eventStore, ObjectProvider<CommandGateway> commands) {
        this.keys = keys;
        this.eventStore = eventStore;
        this.commands = commands;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        CommandGateway gateway = commands.getIfAvailable();
        if (gateway == null) {
            return;
        }
        List<String> unfinished = unfinished(keys.erasedSubjects());
        int failed = 0;
        for (String customer : unfinished) {
            try {
                gateway.sendAndWait(new EraseCustomerCommand(CustomerId.of(customer)));
            } catch (RuntimeException e) {
                failed++;
                // the id is opaque; the next start tries again
                log.warn("Could not complete the erasure of customer {}: {}", customer, e.getClass().getName());
            }
        }
        if (!unfinished.isEmpty()) {
            log.info("Completed {} erasures the event store lacked (after a restore or a crash); {} failed",
                    unfinished.size() - failed, failed);
        }
    }

    /** The customers among {@code erased} whose registration the event store holds and whose erasure it lacks. */
    List<String> unfinished(List<String> erased) {
        List<String> unfinished = new ArrayList<>();
        for (int from = 0; from < erased.size(); from += CHUNK) {
            String ids = String.join(",", erased.subList(from, Math.min(erased.size(), from + CHUNK)));
            unfinished.addAll(eventStore.queryForList("""
                    SELECT r.aggregate_identifier FROM event_store.domain_event_entry r
                     WHERE r.aggregate_identifier = ANY (string_to_array(?, ',')) AND r.payload_type = ?
                       AND NOT EXISTS (SELECT 1 FROM event_store.domain_event_entry e
                                        WHERE e.aggregate_identifier = r.aggregate_identifier AND e.payload_type = ?)
                     ORDER BY r.aggregate_identifier
                    """, String.class, ids, CustomerRegisteredEvent.class.getName(),
                    CustomerErasedEvent.class.getName()));
        }
        return unfinished;
    }
}
