package org.orderly.config.ops;

import java.util.Map;

import org.orderly.config.OrderlyHealth;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * A domain's health group: its own contributors, shown and aggregated as the primary group is. Unlike the primary
 * group, a DEGRADED domain (a processor lagging or holding dead letters) answers 503, so that a monitor probing
 * the domain sees it fail; the node as a whole stays in service.
 */
final class DomainHealthGroup implements HealthEndpointGroup {

    private static final HttpCodeStatusMapper DOMAIN_STATUS_CODES = new SimpleHttpCodeStatusMapper(Map.of(
            Status.DOWN.getCode(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
            Status.OUT_OF_SERVICE.getCode(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
            OrderlyHealth.DEGRADED.getCode(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE));

    private final String domain;
    private final HealthEndpointGroup primary;

    DomainHealthGroup(String domain, HealthEndpointGroup primary) {
        this.domain = domain;
        this.primary = primary;
    }

    @Override
    public boolean isMember(String name) {
        return name.equals("domains/" + domain) || name.startsWith("domains/" + domain + "/")
                || name.equals(domain) || name.equals(domain + "s");
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
        return primary.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
        return primary.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
        return primary.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
        return DOMAIN_STATUS_CODES;
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
        return null;
    }
}
