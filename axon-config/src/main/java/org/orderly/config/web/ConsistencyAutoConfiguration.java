package org.orderly.config.web;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.serialization.Serializer;
import org.orderly.config.domainstore.DomainStoreAutoConfiguration;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The HTTP API's consistency token: {@code Orderly-Position} on command answers ({@link CommandPositionFilter})
 * and reads that wait for it ({@link ReadYourWrites}).
 */
@AutoConfiguration(after = DomainStoreAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
public class ConsistencyAutoConfiguration {

    /** After Spring Security and the rate limit, so that only admitted requests capture anything. */
    static final int POSITION_FILTER_ORDER = WebInputAutoConfiguration.RATE_LIMIT_FILTER_ORDER + 10;

    @Bean
    FilterRegistrationBean<CommandPositionFilter> commandPositionFilter() {
        FilterRegistrationBean<CommandPositionFilter> registration =
                new FilterRegistrationBean<>(new CommandPositionFilter());
        registration.setOrder(POSITION_FILTER_ORDER);
        return registration;
    }

    @Bean
    @ConditionalOnBean(DomainStores.class)
    ReadYourWrites readYourWrites(ObjectProvider<DomainStores> stores,
                                  ObjectProvider<EventProcessingConfiguration> processing,
                                  @Qualifier("serializer") ObjectProvider<Serializer> serializer, WebProperties web,
                                  ObjectProvider<org.springframework.jdbc.core.JdbcTemplate> main,
                                  org.springframework.core.env.Environment environment) {
        boolean axonServer = environment.getProperty("axon.axonserver.enabled", Boolean.class, false);
        return new ReadYourWrites(stores.getObject(), processing::getObject, serializer::getObject,
                web.consistency().maxWait(), web.maxWaitingReads(), axonServer ? null : main.getIfAvailable());
    }

    @Bean
    @ConditionalOnBean(ReadYourWrites.class)
    WebMvcConfigurer readYourWritesInterceptor(ReadYourWrites readYourWrites) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(readYourWrites).addPathPatterns("/api/**");
            }
        };
    }
}
