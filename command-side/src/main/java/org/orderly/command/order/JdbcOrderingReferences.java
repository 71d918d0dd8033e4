package org.orderly.command.order;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.command.order.OrderingReference.CopyFreshness;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionCommits;
import org.orderly.config.processing.AggregatePositions;
import org.orderly.config.processing.Lag;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads, from the order domain's own copies only, what placing an order needs to know, and how fresh
 * those copies are.
 * <p>
 * The copies live in the order domain's schema, {@code orders}, kept by the copy processors of the query side
 * (in this process or another one). The command side reads them there itself, through the order domain's own
 * role ({@link DomainStoreReader}): no cross-schema reference, and no bus between processes, so a command node
 * needs nothing but the database to place an order. See {@code docs/adr/0011-copies-a-command-side-decides-on.md}.
 *
 * <p>Before answering, it waits (up to {@code orderly.order-copies.max-wait}) until each copy asked for has
 * applied the latest stored event of its customer or product, read from the event store's aggregate
 * index: anything acknowledged before the order (a registration, a price change) is then in the copies,
 * and a missing copy means the customer or product does not exist. Where events live in Axon Server,
 * it waits instead for the copy processors to reach the head of the store as it was when asked.
 */
@Component
@EnableConfigurationProperties(JdbcOrderingReferences.Settings.class)
class JdbcOrderingReferences implements OrderingReferences {

    static final String DOMAIN = "orders";
    static final String CUSTOMER_COPIES = "order-customer-copies";
    static final String PRODUCT_COPIES = "order-product-copies";

    /** The order domain's schema, read here; its store and its copy processors are declared by the query side. */
    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader orderCopiesReader() {
            return DomainStoreReader.of(DOMAIN, CUSTOMER_COPIES, PRODUCT_COPIES);
        }
    }

    /**
     * {@code orderly.order-copies.*}: how an order placement reads the order domain's copies of customers and
     * products.
     *
     * @param maxWait how long a question waits for the copies it asks about to catch up
     */
    @ConfigurationProperties("orderly.order-copies")
    record Settings(@DefaultValue("PT2S") Duration maxWait) {
    }

    /** The copies' freshness reported with a placement is at most this old (measuring costs several queries). */
    private static final Duration FRESHNESS_MAX_AGE = Duration.ofMillis(200);
    private static final List<Class<?>> COPIED_EVENTS = List.of(CustomerRegisteredEvent.class,
            CustomerEmailChangedEvent.class, CustomerCreditLimitSetEvent.class, CustomerDeactivatedEvent.class,
            ProductAddedEvent.class, ProductPriceChangedEvent.class, ProductRenamedEvent.class,
            ProductDiscontinuedEvent.class);

    private final JdbcTemplate jdbc;
    private final ProjectionCommits commits;
    private final ProcessorLag lag;
    private final Optional<AggregatePositions> positions;
    private final Duration copyWait;

    JdbcOrderingReferences(DomainStores stores, ProcessorLag lag, ObjectProvider<AggregatePositions> positions,
                                  Settings settings) {
        this.jdbc = stores.get(DOMAIN).jdbc();
        this.commits = stores.commits();
        this.lag = lag;
        this.positions = Optional.ofNullable(positions.getIfAvailable());
        this.copyWait = settings.maxWait();
    }

    @Override
    public OrderingReference lookUp(CustomerId customerId, List<ProductId> productIds) {
        // Without per-aggregate positions (Axon Server), the copies must reach the head as it is now.
        long head = positions.isPresent() ? -1 : lag.head();
        OrderingReference.CustomerCopy[] customer = new OrderingReference.CustomerCopy[1];
        List<List<OrderingReference.ProductCopy>> products = new ArrayList<>(List.of(List.of()));
        // Looked at again whenever a copy processor commits, on whichever node runs it (ProjectionCommits).
        boolean upToDate = commits.awaitUntil(List.of(CUSTOMER_COPIES, PRODUCT_COPIES), copyWait, () -> {
            customer[0] = customer(customerId);
            products.set(0, products(productIds));
            return positions.isPresent()
                    ? upToDate(customerId, productIds, customer[0], products.get(0), positions.get())
                    : reached(head);
        });
        return new OrderingReference(customer[0], products.get(0), upToDate,
                freshness(lag.recent(CUSTOMER_COPIES, FRESHNESS_MAX_AGE)),
                freshness(lag.recent(PRODUCT_COPIES, FRESHNESS_MAX_AGE)));
    }

    /** Every copy has applied its aggregate's latest copied event; no events means no copy is expected. */
    private static boolean upToDate(CustomerId customerId, List<ProductId> productIds,
                                    OrderingReference.CustomerCopy customer,
                                    List<OrderingReference.ProductCopy> products, AggregatePositions positions) {
        List<String> ids = new ArrayList<>();
        ids.add(customerId.toString());
        productIds.forEach(id -> ids.add(id.toString()));
        Map<String, Long> latest = positions.latest(ids, COPIED_EVENTS);
        if (!covers(latest.get(customerId.toString()), customer == null ? null : customer.lastPosition())) {
            return false;
        }
        for (ProductId productId : productIds) {
            Long copied = products.stream().filter(p -> p.productId().equals(productId)).findFirst()
                    .map(OrderingReference.ProductCopy::lastPosition).orElse(null);
            if (!covers(latest.get(productId.toString()), copied)) {
                return false;
            }
        }
        return true;
    }

    private static boolean covers(Long latestEvent, Long copiedPosition) {
        return latestEvent == null || (copiedPosition != null && copiedPosition >= latestEvent);
    }

    private boolean reached(long head) {
        return lag.of(CUSTOMER_COPIES).position() >= head && lag.of(PRODUCT_COPIES).position() >= head;
    }

    private OrderingReference.CustomerCopy customer(CustomerId customerId) {
        List<OrderingReference.CustomerCopy> customers = jdbc.query("""
                SELECT customer_id, email, status, credit_limit_amount, credit_limit_currency, last_position
                  FROM customer_copies WHERE customer_id = ?
                """, (rs, row) -> new OrderingReference.CustomerCopy(
                new CustomerId(rs.getObject("customer_id", UUID.class)), rs.getString("email"),
                CustomerStatus.valueOf(rs.getString("status")),
                rs.getBigDecimal("credit_limit_amount") == null ? null
                        : new Money(rs.getBigDecimal("credit_limit_amount"), rs.getString("credit_limit_currency")),
                rs.getLong("last_position")), customerId.value());
        return customers.isEmpty() ? null : customers.get(0);
    }

    private List<OrderingReference.ProductCopy> products(List<ProductId> productIds) {
        List<OrderingReference.ProductCopy> products = new ArrayList<>();
        jdbc.execute((java.sql.Connection connection) -> {
            Array ids = connection.createArrayOf("uuid", productIds.stream().map(ProductId::value).toArray());
            try (var statement = connection.prepareStatement("""
                    SELECT product_id, name, price_amount, price_currency, status, last_position
                      FROM product_copies WHERE product_id = ANY (?)
                    """)) {
                statement.setArray(1, ids);
                try (var rs = statement.executeQuery()) {
                    while (rs.next()) {
                        products.add(new OrderingReference.ProductCopy(
                                new ProductId(rs.getObject("product_id", UUID.class)), rs.getString("name"),
                                new Money(rs.getBigDecimal("price_amount"), rs.getString("price_currency")),
                                ProductStatus.valueOf(rs.getString("status")), rs.getLong("last_position")));
                    }
                }
            }
            return null;
        });
        return products;
    }

    private static CopyFreshness freshness(Lag lag) {
        return new CopyFreshness(lag.events(), lag.behind() == null ? null : lag.behind().toMillis());
    }
}
