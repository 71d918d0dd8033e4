package org.orderly.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Orderly in one process: the command side and the query side, with the shared infrastructure of
 * axon-config brought in by auto-configuration.
 */
@SpringBootApplication(scanBasePackages = {"org.orderly.app", "org.orderly.command", "org.orderly.query"})
public class OrderlyApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderlyApplication.class, args);
    }
}
