package org.orderly.command.returns;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(ReturnProperties.class)
class ReturnConfiguration {
}
