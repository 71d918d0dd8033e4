package org.orderly.command.sagas;

import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.serialization.Serializer;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Where every saga keeps its state and its deadlines: the {@code sagas} domain store, a schema and role of
 * its own. Saga state goes through Axon's JDBC saga store, deadlines through Axon's db-scheduler deadline
 * manager; both use the sagas pool, so a saga's new state, the deadlines it set and its processor's token
 * commit in one transaction.
 * <p>
 * The cart aggregate's expiry deadlines go through the same deadline manager, so their rows live here as well. A
 * command handler runs in no sagas transaction: a cart's deadline is written (and the one it replaces cancelled) in
 * a transaction of its own as the command commits, which the cart tolerates by ignoring a deadline whose expiry is
 * no longer its own.
 */
@org.springframework.context.annotation.Configuration
class SagaInfrastructure {

    static final String DOMAIN = "sagas";

    @Bean
    DomainStoreDefinition sagasDomainStore() {
        return DomainStoreDefinition.of(DOMAIN).withSagas("OrderFulfilmentSagaProcessor", "ReturnSagaProcessor",
                "CheckoutConfirmationSagaProcessor");
    }

    @Bean
    SagaStore<Object> sagaStore(DomainStores stores, @Qualifier("serializer") Serializer serializer) {
        return stores.get(DOMAIN).sagaStore(serializer);
    }

    /**
     * Polls {@code sagas.scheduled_tasks}. Its data source joins the transaction a saga handler runs in, so a
     * deadline scheduled there exists only if the saga's change commits.
     * <p>
     * The task must get the deadline manager itself, never a lazy proxy: it calls a private method on what it
     * gets, which on a proxy runs against the proxy's empty fields (no serializer), so no deadline would fire.
     */
    @Bean
    Scheduler sagaDeadlineScheduler(DomainStores stores, ObjectProvider<DbSchedulerDeadlineManager> deadlineManager) {
        DomainStore store = stores.get(DOMAIN);
        return Scheduler.create(new TransactionAwareDataSourceProxy(store.dataSource()),
                        List.of(DbSchedulerDeadlineManager.binaryTask(deadlineManager::getObject)))
                .tableName("scheduled_tasks")
                .threads(2)
                .pollingInterval(Duration.ofMillis(250))
                .heartbeatInterval(Duration.ofSeconds(5))
                .build();
    }

    @Bean
    DbSchedulerDeadlineManager deadlineManager(Scheduler sagaDeadlineScheduler, Configuration configuration,
                                               DomainStores stores,
                                               @Qualifier("eventSerializer") Serializer serializer) {
        return new RaceTolerantDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(stores.get(DOMAIN).axonTransactionManager())
                // started and stopped below, once Axon runs: a deadline must not fire into an unstarted saga manager
                .startScheduler(false)
                .stopScheduler(false), sagaDeadlineScheduler);
    }

    /** Starts polling after everything else has started, and stops before anything else stops. */
    @Bean
    SmartLifecycle sagaDeadlineSchedulerLifecycle(Scheduler sagaDeadlineScheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                sagaDeadlineScheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                sagaDeadlineScheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 100;
            }
        };
    }
}
