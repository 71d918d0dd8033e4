package org.orderly.command.catalog;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Currency;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.AddProductCommand;
import org.orderly.api.catalog.ChangeProductPriceCommand;
import org.orderly.api.catalog.DiscontinueProductCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.RenameProductCommand;
import org.orderly.api.common.Money;
import org.orderly.config.web.ETags;
import org.orderly.config.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Catalog commands over HTTP. Each call waits for the command to be stored, or refused. */
@RestController
@RequestMapping("/api/products")
class ProductCommandController {

    private final CommandGateway commands;

    ProductCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    /** Money as clients send it; the amount may be a JSON string ("12.50") or number, never parsed as a float. */
    record MoneyRequest(
            @NotNull @Positive @DecimalMax(value = CatalogRules.PRICE_LIMIT, inclusive = false) BigDecimal amount,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    record AddProductRequest(
            @NotBlank @Size(max = CatalogRules.MAX_SKU) String sku,
            @NotBlank @Size(max = CatalogRules.MAX_NAME) String name,
            @NotNull @Valid MoneyRequest price,
            @NotNull @Positive Integer weightGrams) {
    }

    record RenameRequest(@NotBlank @Size(max = CatalogRules.MAX_NAME) String name) {
    }

    record ProductAdded(String productId) {
    }

    @PostMapping
    ResponseEntity<ProductAdded> add(@Valid @RequestBody AddProductRequest request) {
        ProductId id = ProductId.newId();
        Money price = money(request.price(), "price.");
        commands.sendAndWait(new AddProductCommand(id, request.sku(), request.name(), price, request.weightGrams()));
        return ResponseEntity.created(URI.create("/api/products/" + id))
                .eTag(ETags.of(0))
                .body(new ProductAdded(id.toString()));
    }

    @PutMapping("/{productId}/price")
    ResponseEntity<Void> changePrice(@PathVariable UUID productId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @Valid @RequestBody MoneyRequest request) {
        Long expectedVersion = ETags.expectedVersion(ifMatch);
        commands.sendAndWait(new ChangeProductPriceCommand(new ProductId(productId), money(request, ""), expectedVersion));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{productId}/name")
    ResponseEntity<Void> rename(@PathVariable UUID productId,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Valid @RequestBody RenameRequest request) {
        commands.sendAndWait(new RenameProductCommand(new ProductId(productId), request.name(),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{productId}/discontinuation")
    ResponseEntity<Void> discontinue(@PathVariable UUID productId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new DiscontinueProductCommand(new ProductId(productId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    /**
     * Bean validation has checked the shape; this checks what depends on the currency (a real one, no
     * more decimals than it has), as a 400 naming the field under {@code path}.
     */
    private static Money money(MoneyRequest request, String path) {
        Currency currency;
        try {
            currency = Currency.getInstance(request.currency());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(path + "currency", "is not an ISO 4217 currency code");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw Problems.badRequest(path + "currency", "is not a currency prices can be in");
        }
        // Checked before Money sees the amount: Money's own refusal spells the amount out in full, and
        // "1e-999999999" is short to send but a billion digits to print.
        if (request.amount().stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            throw Problems.badRequest(path + "amount", "must have at most " + currency.getDefaultFractionDigits()
                    + " decimals in " + currency.getCurrencyCode());
        }
        return new Money(request.amount(), currency.getCurrencyCode());
    }
}
