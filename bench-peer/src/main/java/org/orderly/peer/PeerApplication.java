package org.orderly.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's peer: Orderly's customer registration built the way AxonIQ's samples build it, on Axon's
 * defaults (JPA event store through Hibernate, a tracking processor with default settings, a Spring Data JPA
 * projection). It is deliberately not tuned; the harness measures Orderly against it.
 */
@SpringBootApplication
public class PeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }
}
