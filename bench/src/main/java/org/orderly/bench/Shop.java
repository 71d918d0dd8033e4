package org.orderly.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the workloads on the all-in-one Orderly buy and sell: customers with room on their credit limit, each with a
 * login and a token (orders are placed by the customer themself; {@code bench.orderCustomers}: a password hash each,
 * to register and to log in, so a handful reused rather than one per order), products, and plenty of stock.
 */
final class Shop {

    /** A customer who places orders, and the {@code Authorization} header value it places them with. */
    record Customer(String id, String authorization) {
    }

    private final OrderlyClient client;
    private final String customerPassword = UUID.randomUUID().toString();
    private final List<Customer> customers = new ArrayList<>();
    private final List<String> products = new ArrayList<>();

    Shop(OrderlyClient client) {
        this.client = client;
    }

    void seed(int customerCount) throws Exception {
        for (int i = 0; i < customerCount; i++) {
            String email = "seed-" + UUID.randomUUID() + "@example.com";
            // staff register them with a password (a login) and a credit limit, which only staff may set
            Response created = client.post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"Seed\", "
                    + "\"password\": \"" + customerPassword + "\", \"creditLimit\": {\"amount\": \"900000000\", "
                    + "\"currency\": \"EUR\"}}").expect(201);
            customers.add(new Customer(created.json().get("customerId").asText(),
                    "Bearer " + client.token(email, customerPassword)));
        }
        for (int i = 0; i < 50; i++) {
            String id = client.post("/api/products", "{\"sku\": \"BENCH-" + UUID.randomUUID() + "\", \"name\": \"Item "
                    + i + "\", \"price\": {\"amount\": \"1.00\", \"currency\": \"EUR\"}, \"weightGrams\": 100}")
                    .json().get("productId").asText();
            products.add(id);
        }
        for (String product : products) {
            client.awaitStatus("/api/products/" + product, 200);
            client.post("/api/inventory/" + product + "/receipts", "{\"quantity\": 100000000}");
        }
        client.awaitStatus("/api/customers/" + customers.get(customers.size() - 1).id(), 200);
    }

    /** Staff register a customer they serve: a customer record without a login (no password to hash). */
    Response register() {
        return client.post("/api/customers", "{\"email\": \"b-" + UUID.randomUUID() + "@example.com\", \"name\": \"Bench\"}");
    }

    /** One line of one product, placed by a seeded customer. */
    Response placeOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Customer customer = customers.get(random.nextInt(customers.size()));
        String product = products.get(random.nextInt(products.size()));
        return client.post("/api/orders", "{\"customerId\": \"" + customer.id() + "\", \"lines\": [{\"productId\": \""
                + product + "\", \"quantity\": 1}]}", customer.authorization());
    }

    /** The password every customer the harness signs up with a login gets. */
    String customerPassword() {
        return customerPassword;
    }

    List<String> products() {
        return products;
    }
}
