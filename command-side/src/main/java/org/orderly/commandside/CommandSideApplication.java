package org.orderly.commandside;

import org.orderly.config.deployable.Deployable;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Orderly's command side as a deployable of its own: command REST, aggregates, sagas with their deadlines, and the
 * copies its decisions read from the domains' schemas. Several may run on one PostgreSQL beside query-side nodes;
 * see {@link Deployable}. It lives outside {@code org.orderly.command}, so that the all-in-one application, which
 * scans that package, does not pick it up.
 */
@SpringBootApplication(scanBasePackages = "org.orderly.command")
public class CommandSideApplication {

    public static void main(String[] args) {
        Deployable.COMMAND_SIDE.run(CommandSideApplication.class, args);
    }
}
