package org.orderly.config;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderly.*}: the two settings directly under {@code orderly}; every group below it ({@code orderly.database},
 * {@code orderly.processors}, {@code orderly.web}, ...) has a record of its own, in the package that uses it.
 *
 * @param nodeId  how this node signs the claims it holds in every token table; defaults to the JVM's name
 *                ({@code pid@host}, Axon's own default). Set it when nodes share a host name and pid space (containers).
 * @param domains per-domain connection settings (url, username, password, pool-size), keyed by domain name; unset ones
 *                fall back to the main database.
 */
@ConfigurationProperties("orderly")
public record OrderlyProperties(String nodeId, Map<String, DomainConnection> domains) {

    public OrderlyProperties {
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    /** Nothing set: every default. */
    public static OrderlyProperties defaults() {
        return new OrderlyProperties(null, null);
    }

    /**
     * One domain's connection settings; any setting left out falls back to the main database.
     *
     * @param url      JDBC URL of the database this domain lives in; defaults to the main database.
     * @param username the domain's role; defaults to {@code orderly_<domain>}.
     * @param password the domain's role's password; generated where Orderly manages the roles.
     * @param poolSize connections in the domain's pool; unset: 4, or for a domain holding sagas one per saga worker and
     *                 4 more.
     */
    public record DomainConnection(String url, String username, String password, Integer poolSize) {

        /** Nothing set: the main database's. */
        public static DomainConnection none() {
            return new DomainConnection(null, null, null, null);
        }
    }
}
