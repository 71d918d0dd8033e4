package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestInputFilterTest {

    private final RequestInputFilter filter = new RequestInputFilter(1024, new ObjectMapper());

    @Test
    void aControlCharacterInAQueryParameterNamesTheParameter() {
        assertThat(RequestInputFilter.badQueryParameter("type=ORDER&businessId=a%00b"))
                .isEqualTo(new Problems.FieldError("businessId", "must not contain control characters (U+0000 at position 1)"));
        assertThat(RequestInputFilter.badQueryParameter("q=%7F").field()).isEqualTo("q");
        assertThat(RequestInputFilter.badQueryParameter("status=%zz").reason()).isEqualTo("is not valid percent-encoding");
        assertThat(RequestInputFilter.badQueryParameter("a=1&b=caf%C3%A9+au+lait&c")).isNull();
    }

    @Test
    void aControlCharacterInAHeaderValueNamesTheHeaderButATabPasses() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders/1");
        request.addHeader("If-Match", "\"1\"\u0000");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("\"field\":\"If-Match\"");

        MockHttpServletRequest tab = new MockHttpServletRequest("GET", "/api/orders/1");
        tab.addHeader("Prefer", "wait=1;\tfoo");
        MockHttpServletResponse passed = new MockHttpServletResponse();
        filter.doFilter(tab, passed, new MockFilterChain());
        assertThat(passed.getStatus()).isEqualTo(200);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsA413WithoutReadingIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/customers");
        request.setContent(new byte[2048]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(chain.getRequest()).isNull();
    }
}
