package org.orderly.config.audit;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletResponse;
import org.orderly.api.common.Actor;
import org.orderly.config.security.Actors;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Records the calls of {@link AuditedPersonalData} methods in the {@link DataAccessAudit}. As a response body
 * advice it notes the customers a response body names (for operations whose path does not); as a handler
 * interceptor it records them after the call, when the response status, which becomes the entry's outcome, is
 * known. Every other handler costs one annotation look-up.
 * <p>
 * Only customer ids are recorded as subjects: a value that is not a UUID (a malformed path, answered 400) names
 * nobody, and is never copied into the log.
 */
@ControllerAdvice
public class AuditedPersonalDataInterceptor implements HandlerInterceptor, ResponseBodyAdvice<Object> {

    private static final String SUBJECTS = AuditedPersonalDataInterceptor.class.getName() + ".subjects";

    private final DataAccessAudit audit;
    private final Timer recording;

    /** @param meters where {@code orderly.audit.record} goes: what recording takes on a request's thread; may be null */
    public AuditedPersonalDataInterceptor(DataAccessAudit audit, MeterRegistry meters) {
        this.audit = audit;
        this.recording = meters == null ? null : Timer.builder("orderly.audit.record")
                .description("Time a request's thread spends recording its audit entries (queuing them), "
                        + "for requests that recorded any")
                .register(meters);
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return returnType.hasMethodAnnotation(AuditedPersonalData.class);
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
                                  Class<? extends HttpMessageConverter<?>> selectedConverterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        AuditedPersonalData audited = returnType.getMethodAnnotation(AuditedPersonalData.class);
        if (audited != null && body != null && request instanceof ServletServerHttpRequest servlet) {
            servlet.getServletRequest().setAttribute(SUBJECTS, subjectsIn(body, audited.subject()));
        }
        return body;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception ex) {
        if (!(handler instanceof HandlerMethod method)) {
            return;
        }
        AuditedPersonalData audited = method.getMethodAnnotation(AuditedPersonalData.class);
        if (audited == null) {
            return;
        }
        long start = System.nanoTime();
        if (record(request, response, ex, method, audited) > 0 && recording != null) {
            recording.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private int record(HttpServletRequest request, HttpServletResponse response, Exception ex, HandlerMethod method,
                       AuditedPersonalData audited) {
        Actor actor = Actors.current();
        if (actor == null) {
            return 0;
        }
        Set<String> subjects = subjectsOf(request, method, audited.subject());
        if (subjects.isEmpty()) {
            return 0;
        }
        String operation = audited.operation().isEmpty()
                ? request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)
                : audited.operation();
        int status = response.getStatus();
        String outcome = ex != null && status < 400 ? "500" : Integer.toString(status);
        return audit.record(actor, subjects, operation, outcome);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> subjectsOf(HttpServletRequest request, HandlerMethod method, String name) {
        Set<String> subjects = new LinkedHashSet<>();
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        // A parameter the operation does not declare changes nothing it answers: it must not name the subject
        // either, or a caller could file a list's accesses under a customer of their choosing.
        String named = variables instanceof Map<?, ?> map && map.get(name) instanceof String value ? value
                : declaresParameter(method, name) ? request.getParameter(name) : null;
        if (named != null) {
            addIfCustomerId(subjects, named);
        } else if (request.getAttribute(SUBJECTS) instanceof List<?> fromBody) {
            ((List<String>) fromBody).forEach(value -> addIfCustomerId(subjects, value));
        }
        return subjects;
    }

    private static boolean declaresParameter(HandlerMethod method, String name) {
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            String declared = !param.name().isEmpty() ? param.name()
                    : !param.value().isEmpty() ? param.value() : parameter.getParameterName();
            if (name.equals(declared)) {
                return true;
            }
        }
        return false;
    }

    private static void addIfCustomerId(Set<String> subjects, String value) {
        try {
            subjects.add(UUID.fromString(value.strip()).toString());
        } catch (IllegalArgumentException notACustomerId) {
            // names nobody
        }
    }

    /** The body's component {@code name}, or that of each of its {@code items}. */
    static List<String> subjectsIn(Object body, String name) {
        List<String> found = new ArrayList<>();
        Object own = component(body, name);
        if (own != null) {
            found.add(own.toString());
        } else if (component(body, "items") instanceof Iterable<?> items) {
            for (Object item : items) {
                Object subject = component(item, name);
                if (subject != null) {
                    found.add(subject.toString());
                }
            }
        }
        return found;
    }

    private static final ClassValue<Map<String, RecordComponent>> COMPONENTS = new ClassValue<>() {
        @Override
        protected Map<String, RecordComponent> computeValue(Class<?> type) {
            Map<String, RecordComponent> byName = new java.util.HashMap<>();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    component.getAccessor().trySetAccessible();
                    byName.put(component.getName(), component);
                }
            }
            return byName;
        }
    };

    private static Object component(Object value, String name) {
        if (value == null) {
            return null;
        }
        RecordComponent component = COMPONENTS.get(value.getClass()).get(name);
        if (component == null) {
            return null;
        }
        try {
            return component.getAccessor().invoke(value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + name + " of " + value.getClass().getName(), e);
        }
    }
}
