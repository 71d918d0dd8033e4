package org.orderly.peer;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface CustomerSummaryRepository extends JpaRepository<CustomerSummary, UUID> {
}
