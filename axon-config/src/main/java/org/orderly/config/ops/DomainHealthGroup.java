package org.orderly.config.ops;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/** A domain's health group: its own contributors, shown and aggregated as the primary group is. */
final class DomainHealthGroup implements HealthEndpointGroup {

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
        return primary.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
        return null;
    }
}
