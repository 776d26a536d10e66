package io.logwarden.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.csrf.CsrfException;

/**
 * 403 that says why: a missing or stale CSRF token (never a 401 that looks like a wrong password), or a key whose
 * scope does not allow the request. API answers are problem+json.
 */
final class ApiAccessDenied implements AccessDeniedHandler {

    private final AccessDeniedHandler fallback = new AccessDeniedHandlerImpl();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException, ServletException {
        boolean api = ApiResponses.isApi(request);
        if (e instanceof CsrfException) {
            String detail = "CSRF token missing or invalid: a signed-in browser must send the XSRF-TOKEN cookie's value"
                    + " in the X-XSRF-TOKEN header (or the _csrf form field); scripts should use an API key";
            if (api) {
                ApiResponses.problem(response, 403, "Forbidden: CSRF token", detail);
            } else {
                response.setStatus(403);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write("Refused: " + detail + ". Reload the page and try again.\n");
            }
            return;
        }
        if (api) {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            String detail = auth instanceof ApiKeyAuthentication key
                    ? (request.getRequestURI().contains("/api-keys") ? "API keys are managed by a signed-in operator, not with a key"
                    : "this " + key.key().scope() + " key cannot do that: it needs a write key")
                    : "not allowed";
            ApiResponses.problem(response, 403, "Forbidden", detail);
            return;
        }
        fallback.handle(request, response, e);
    }
}
