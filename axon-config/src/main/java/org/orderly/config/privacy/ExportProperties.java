package org.orderly.config.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a customer's data export gathers its parts.
 *
 * @param timeout how long an export waits for every domain's part; a domain that has not answered by then makes
 *                the export a 503 naming it, never a document without its part
 */
@ConfigurationProperties("orderly.privacy.export")
public record ExportProperties(@DefaultValue("10s") Duration timeout) {
}
