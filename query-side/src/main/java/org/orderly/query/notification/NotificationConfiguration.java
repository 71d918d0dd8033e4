package org.orderly.query.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

/** Binds the dispatcher's settings and runs it every {@code orderly.notifications.poll-interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

    @Bean
    SchedulingConfigurer notificationDispatchSchedule(NotificationDispatcher dispatcher,
                                                      NotificationProperties properties) {
        return registrar -> registrar.addFixedDelayTask(
                new FixedDelayTask(dispatcher::dispatchDue, properties.pollInterval(), Duration.ZERO));
    }
}
