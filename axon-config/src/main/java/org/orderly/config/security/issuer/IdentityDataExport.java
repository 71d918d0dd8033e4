package org.orderly.config.security.issuer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.orderly.config.privacy.ExportRows;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The identity domain's part of a data export: the customer's login account. The password hash is a secret of
 * the issuer's, not data about the customer worth handing out (and a hash is what an attacker would want), so
 * the part says only that a password is set.
 */
final class IdentityDataExport {

    static final String PASSWORD_SET = "a password is set";

    private final JdbcTemplate jdbc;

    IdentityDataExport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(IdentityStore.DOMAIN);
        }
        Map<String, Object> account = ExportRows.one(jdbc, """
                SELECT subject, login, roles, customer_id, enabled, created_at, updated_at,
                       CASE WHEN password_hash <> '' THEN 'set' END AS password
                  FROM account WHERE customer_id = ?
                """, customerId);
        if (account == null) {
            return CustomerDataPart.empty(IdentityStore.DOMAIN);
        }
        account.put("password", account.get("password") == null ? "no password is set" : PASSWORD_SET);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("account", account);
        return new CustomerDataPart(IdentityStore.DOMAIN, data);
    }
}
