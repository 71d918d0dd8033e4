package org.orderly.config.security.issuer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.util.HtmlUtils;

/**
 * The embedded issuer's sign-in page, where a browser (the operator dashboard, or any authorization code client)
 * proves who it is before the issuer sends it back with a code. Plain HTML with its CSRF token; no script.
 */
final class IssuerLoginPage {

    static final String PATH = "/issuer/login";

    private IssuerLoginPage() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        boolean failed = request.getParameter("error") != null;
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Orderly: sign in</title>
                <style>body{font-family:system-ui,sans-serif;max-width:22em;margin:4em auto}label,input,button{display:block;width:100%%;margin:.4em 0}</style>
                </head><body>
                <h1>Sign in to Orderly</h1>
                %s
                <form method="post" action="%s">
                  <label for="username">Login</label><input id="username" name="username" autocomplete="username" required autofocus>
                  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
                  <input type="hidden" name="%s" value="%s">
                  <button id="sign-in" type="submit">Sign in</button>
                </form>
                </body></html>
                """.formatted(failed ? "<p id=\"error\" role=\"alert\">The login or password is wrong.</p>" : "",
                PATH, HtmlUtils.htmlEscape(csrf.getParameterName()), HtmlUtils.htmlEscape(csrf.getToken()));
        response.setContentType("text/html;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(html);
    }
}
