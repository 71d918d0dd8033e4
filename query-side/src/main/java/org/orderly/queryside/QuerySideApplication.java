package org.orderly.queryside;

import org.orderly.config.deployable.Deployable;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Orderly's query side as a deployable of its own: projections into each domain's schema (the cached copies other
 * domains decide on among them), query REST and notification dispatch. Several may run on one PostgreSQL beside
 * command-side nodes, dividing each processor's segments; see {@link Deployable}. It lives outside
 * {@code org.orderly.query}, so that the all-in-one application, which scans that package, does not pick it up.
 */
@SpringBootApplication(scanBasePackages = "org.orderly.query")
public class QuerySideApplication {

    public static void main(String[] args) {
        Deployable.QUERY_SIDE.run(QuerySideApplication.class, args);
    }
}
