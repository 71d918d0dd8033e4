package org.orderly.config.deployable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The two deployables a user who outgrows one machine runs apart, several of each, on one external PostgreSQL: the
 * <em>command side</em> (command REST, aggregates, sagas and their deadlines, the registries and the copies its
 * decisions read) and the <em>query side</em> (projections, the cached copies they keep, query REST, notification
 * dispatch). The all-in-one application runs both in one process and needs none of this.
 * <p>
 * A split node refuses to start without what only the all-in-one application may do without: an external database
 * ({@code orderly.database.url}: an embedded PostgreSQL belongs to one process) and an external identity provider
 * ({@code orderly.security.issuer-uri}: the embedded issuer is the all-in-one application's, and a token must be
 * valid on whichever node a proxy picks). It also needs the master keys every node shares
 * ({@code orderly.privacy.master-keys.<id>}, or a {@code master-key-file} that exists, on storage the nodes share):
 * a node that made a key file of its own would seal personal data no other node can open.
 */
public enum Deployable {

    COMMAND_SIDE("command-side"),
    QUERY_SIDE("query-side");

    /** The property each split deployable sets to its name; absent in the all-in-one application. */
    public static final String PROPERTY = "orderly.deployable";

    private final String label;

    Deployable(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Runs {@code source} as this deployable: its own configuration file ({@code <name>.yml}, beside the jar or in
     * it), its name in {@link #PROPERTY}, and the start-up check of what a split node needs.
     */
    public void run(Class<?> source, String[] args) {
        SpringApplication application = new SpringApplication(source);
        application.setDefaultProperties(Map.of(PROPERTY, label, "spring.config.name", label,
                "spring.application.name", "orderly-" + label, "orderly.cluster.role", label));
        application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event ->
                requireExternalServices(event.getEnvironment()));
        application.run(args);
    }

    private void requireExternalServices(ConfigurableEnvironment environment) {
        List<String> missing = new ArrayList<>();
        if (blank(environment.getProperty("orderly.database.url"))) {
            missing.add("orderly.database.url (ORDERLY_DATABASE_URL): the PostgreSQL every node shares; an embedded "
                    + "one is only for the all-in-one application");
        }
        if (blank(environment.getProperty("orderly.security.issuer-uri"))) {
            missing.add("orderly.security.issuer-uri (ORDERLY_SECURITY_ISSUER_URI): the identity provider whose tokens "
                    + "every node accepts; the embedded issuer is only for the all-in-one application");
        }
        boolean configuredKeys = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("orderly.privacy.master-keys", org.springframework.boot.context.properties.bind.Bindable
                        .mapOf(String.class, String.class))
                .map(keys -> !keys.isEmpty()).orElse(false);
        String keyFile = environment.getProperty("orderly.privacy.master-key-file", ".orderly/master-keys.properties");
        if (!configuredKeys && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(keyFile))) {
            missing.add("orderly.privacy.master-keys.<id> (ORDERLY_PRIVACY_MASTERKEYS_<ID>, 32 bytes in base64), the "
                    + "same on every node, or orderly.privacy.master-key-file naming an existing key file every node "
                    + "shares: a key made by one node would seal personal data the others cannot open");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The " + label + " deployable runs against external services; set:\n  "
                    + String.join("\n  ", missing));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
