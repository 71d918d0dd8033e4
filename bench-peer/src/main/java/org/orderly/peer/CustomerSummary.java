package org.orderly.peer;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** The read model, a plain JPA entity as in Axon's samples. */
@Entity
public class CustomerSummary {

    @Id
    private UUID customerId;
    private String email;
    private String name;

    protected CustomerSummary() {
        // for JPA
    }

    CustomerSummary(UUID customerId, String email, String name) {
        this.customerId = customerId;
        this.email = email;
        this.name = name;
    }

    public UUID getCustomerId() {
        return customerId;
    }

    public String getEmail() {
        return email;
    }

    public String getName() {
        return name;
    }
}
