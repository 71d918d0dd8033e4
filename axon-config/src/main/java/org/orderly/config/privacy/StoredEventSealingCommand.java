package org.orderly.config.privacy;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one-time migration as an operator command: {@code java -jar app.jar --orderly.privacy.seal-stored-events=true}
 * starts Orderly with its usual configuration (so it finds the database, its owner's password, the domain stores
 * and the master keys as the application does), seals every stored payload written before sealing
 * ({@link StoredEventSealing}), prints its progress (counts and event types, never a value), and exits: 0 when
 * everything is sealed, 1 with the reason otherwise. Other nodes may keep running meanwhile: they read both
 * revisions.
 */
public final class StoredEventSealingCommand implements ApplicationRunner {

    private final StoredEventSealing sealing;
    private final ConfigurableApplicationContext context;

    public StoredEventSealingCommand(StoredEventSealing sealing, ConfigurableApplicationContext context) {
        this.sealing = sealing;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int status;
        try {
            StoredEventSealing.Outcome outcome = sealing.run(System.out::println);
            status = outcome.withoutSubject() == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("Sealing stored events failed: " + e.getMessage());
            status = 1;
        }
        int exit = status;
        System.exit(SpringApplication.exit(context, () -> exit));
    }
}
