package org.orderly.config.audit;

import java.time.Instant;

/**
 * One access to one customer's personal data.
 *
 * @param id           its place in the log, increasing; {@code 0} until written
 * @param at           when it happened
 * @param actorSubject who: the caller's opaque subject id (a customer's customer id), never an email
 * @param actorRoles   the caller's roles, comma-separated
 * @param subjectId    whose data: the customer's id
 * @param operation    what was done, e.g. {@code GET /api/customers/{customerId}}
 * @param outcome      how it ended, e.g. the HTTP status
 */
public record AuditEntry(long id, Instant at, String actorSubject, String actorRoles, String subjectId,
                         String operation, String outcome) {
}
