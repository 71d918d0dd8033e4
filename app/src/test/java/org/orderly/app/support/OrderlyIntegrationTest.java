package org.orderly.app.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.orderly.app.OrderlyApplication;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a real PostgreSQL chosen by {@link OrderlyTestDatabase}, on a random port, with its
 * embedded issuer; tests get their tokens from it as any client does ({@link Identities}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = OrderlyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "orderly.security.embedded.staff-password=" + Identities.STAFF_PASSWORD,
                "orderly.security.embedded.operator-password=" + Identities.OPERATOR_PASSWORD,
                // one token per identity serves a whole test class
                "orderly.security.embedded.access-token-ttl=PT2H"})
@ContextConfiguration(initializers = OrderlyTestDatabase.class)
public @interface OrderlyIntegrationTest {
}
