package org.orderly.config.domainstore;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One domain's read side at run time: its own pool, logged in as its own role, whose search path is
 * its own schema. Projection writes, the processor's token and its dead letters all go through this
 * pool in one Spring transaction, which is what makes a projection's effect exactly-once.
 */
public final class DomainStore implements AutoCloseable {

    static final TokenSchema TOKEN_SCHEMA = tokenSchema("token_entry");
    static final DeadLetterSchema DEAD_LETTER_SCHEMA = DeadLetterSchema.builder()
            .deadLetterTable("dead_letter_entry")
            .build();

    private static TokenSchema tokenSchema(String table) {
        return TokenSchema.builder()
            .setTokenTable(table)
            .setProcessorNameColumn("processor_name")
            .setSegmentColumn("segment")
            .setTokenColumn("token")
            .setTokenTypeColumn("token_type")
            .setTimestampColumn("time_stamp")
            .setOwnerColumn("owner")
            .build();
    }

    static final SagaSchema SAGA_SCHEMA = SagaSchema.builder()
            .sagaEntryTable("saga_entry")
            .associationValueEntryTable("association_value_entry")
            .sagaIdColumn("saga_id")
            .sagaTypeColumn("saga_type")
            .revisionColumn("revision")
            .serializedSagaColumn("serialized_saga")
            .associationKeyColumn("association_key")
            .associationValueColumn("association_value")
            .build();

    private final DomainStoreDefinition definition;
    private final String nodeId;
    private final java.time.Duration claimTimeout;
    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final DataSourceTransactionManager springTransactions;
    private final TransactionManager axonTransactions;
    private final ProjectionWrites writes;
    private final ProjectionCommits commits;

    DomainStore(DomainStoreDefinition definition, String nodeId, java.time.Duration claimTimeout,
                HikariDataSource dataSource, EventIsolation isolation, ProjectionCommits commits) {
        this.definition = definition;
        this.nodeId = nodeId;
        this.claimTimeout = claimTimeout;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.namedJdbc = new NamedParameterJdbcTemplate(jdbc);
        this.springTransactions = new DataSourceTransactionManager(dataSource);
        this.axonTransactions = new SpringTransactionManager(springTransactions);
        this.writes = new ProjectionWrites(jdbc, isolation, commits, definition.name());
        this.commits = commits;
    }

    public String name() {
        return definition.name();
    }

    public String schema() {
        return definition.schema();
    }

    /** The schema a zero-downtime rebuild builds the next version of this domain's read model in. */
    public String shadowSchema() {
        return definition.shadowSchema();
    }

    /** Whether the main owner owns this schema and its role may only add and read ({@link DomainStoreDefinition#asAppendOnly}). */
    public boolean appendOnly() {
        return definition.appendOnly();
    }

    /** Why a rebuild would lose state of this domain, or {@code null} when all of it derives from events. */
    public String notRebuildableBecause() {
        return definition.notRebuildableBecause();
    }

    public String role() {
        return dataSource.getUsername();
    }

    public List<String> processingGroups() {
        return definition.processingGroups();
    }

    public List<String> sagaProcessingGroups() {
        return definition.sagaProcessingGroups();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Joins the transaction of the processor that is running, so rows and token commit together. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Writes that a projection's batch sends together when it commits; see {@link ProjectionWrites}. */
    public ProjectionWrites writes() {
        return writes;
    }

    public NamedParameterJdbcTemplate namedJdbc() {
        return namedJdbc;
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(springTransactions);
    }

    /**
     * The transactions of one of this store's processors: this store's, each telling every node once it has committed
     * ({@link ProjectionCommitNotifications}), so that reads waiting for the processor wake in any process.
     */
    public TransactionManager processorTransactionManager(String processor) {
        return ProjectionCommitNotifications.notifying(axonTransactions, jdbc, processor, commits);
    }

    HikariDataSource hikari() {
        return dataSource;
    }

    /** Axon's view of this store's transactions, for components (a deadline manager) that run outside a processor. */
    public TransactionManager axonTransactionManager() {
        return axonTransactions;
    }

    /**
     * Axon's JDBC saga store on this domain's pool, over {@code saga_entry} and {@code association_value_entry}
     * (which the domain's migrations create, {@code bytea} for the serialized saga). It joins the saga
     * processor's transaction, so a saga's state commits with the processor's token.
     */
    public SagaStore<Object> sagaStore(Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .sqlSchema(new PostgresSagaSqlSchema(SAGA_SCHEMA))
                .serializer(serializer)
                .build();
    }

    TokenStore tokenStore(Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(serializer)
                .schema(TOKEN_SCHEMA)
                .contentType(byte[].class)
                .nodeId(nodeId)
                .claimTimeout(claimTimeout)
                .build();
    }

    SequencedDeadLetterQueue<EventMessage<?>> deadLetterQueue(String processingGroup, Serializer eventSerializer,
                                                             Serializer genericSerializer, int maxSequences) {
        return JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .processingGroup(processingGroup)
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(axonTransactions)
                .schema(DEAD_LETTER_SCHEMA)
                .eventSerializer(eventSerializer)
                .genericSerializer(genericSerializer)
                .maxSequences(maxSequences)
                .build();
    }

    /**
     * Axon's transactions on this domain's pool, but with the shadow schema first on the search path
     * ({@code SET LOCAL}, so only for that transaction): the unchanged projection beans write their unqualified
     * table names into the next version of the read model, while every other transaction on the same pool
     * (queries, the live processors) still sees the live schema.
     * <p>
     * Why not a pool of its own whose search path is the shadow: the projection beans, their
     * {@link SavepointIsolatingHandlerEnhancer} savepoints and the token store all bind to <em>this</em> pool's
     * {@link DataSource} through Spring's transaction synchronisation, so a second pool would not share their
     * transaction, and the rows and the token would no longer commit together.
     */
    public TransactionManager shadowTransactionManager() {
        String shadow = shadowSchema();
        return () -> {
            org.axonframework.common.transaction.Transaction transaction = axonTransactions.startTransaction();
            try {
                jdbc.execute("SET LOCAL search_path TO " + shadow);
            } catch (RuntimeException e) {
                transaction.rollback();
                throw e;
            }
            return transaction;
        };
    }

    /**
     * A token store over the shadow schema's {@code token_entry}, named with its schema so that it stays there
     * even for a call Axon would make outside {@link #shadowTransactionManager()} (none in 4.13, checked).
     */
    public TokenStore shadowTokenStore(Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(serializer)
                .schema(tokenSchema(shadowSchema() + ".token_entry"))
                .contentType(byte[].class)
                .nodeId(nodeId)
                .claimTimeout(claimTimeout)
                .build();
    }

    /** The dead-letter queue of a processing group in the shadow schema, named with its schema like the tokens. */
    public SequencedDeadLetterQueue<EventMessage<?>> shadowDeadLetterQueue(String processingGroup,
                                                                          Serializer eventSerializer,
                                                                          Serializer genericSerializer,
                                                                          int maxSequences) {
        return JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .processingGroup(processingGroup)
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(shadowTransactionManager())
                .schema(DeadLetterSchema.builder().deadLetterTable(shadowSchema() + ".dead_letter_entry").build())
                .eventSerializer(eventSerializer)
                .genericSerializer(genericSerializer)
                .maxSequences(maxSequences)
                .build();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
