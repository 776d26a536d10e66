package io.logwarden.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.util.Properties;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every dashboard page's layout needs: the CSRF token for its forms, who is signed in, where htmx is served
 * from (the webjars' own versions, read from their jars), and the formatting helpers.
 */
@ControllerAdvice(basePackages = "io.logwarden.dashboard")
class PageModel {

    private static final String HTMX = "/webjars/htmx.org/" + webjarVersion("htmx.org") + "/dist/htmx.min.js";
    private static final String HTMX_SSE = "/webjars/htmx-ext-sse/" + webjarVersion("htmx-ext-sse") + "/sse.js";
    private static final Formats FORMATS = new Formats();

    /** A dashboard page that cannot be shown (an unknown id, a bad parameter) says why, in the dashboard's frame. */
    @ExceptionHandler(ResponseStatusException.class)
    ModelAndView problem(ResponseStatusException e, HttpServletRequest request, Principal principal) {
        // Model attributes are not applied to an exception handler's view: the frame's are added here.
        ModelAndView page = new ModelAndView("dashboard/error", e.getStatusCode());
        common(request, principal, page.getModelMap());
        page.addObject("status", e.getStatusCode().value());
        page.addObject("reason", e.getReason() == null ? "" : e.getReason());
        return page;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Principal principal, org.springframework.ui.ModelMap model) {
        model.addAttribute("fmt", FORMATS);
        model.addAttribute("htmxJs", HTMX);
        model.addAttribute("htmxSseJs", HTMX_SSE);
        model.addAttribute("operator", principal == null ? "" : principal.getName());
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        if (csrf != null) {
            model.addAttribute("csrfParameter", csrf.getParameterName());
            model.addAttribute("csrfToken", csrf.getToken());
        }
    }

    /** Who acts: the signed-in operator; in the dev profile (no sign-in) "dev". */
    static String who(Principal principal) {
        return principal == null ? "dev" : principal.getName();
    }

    static String webjarVersion(String artifact) {
        String resource = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = PageModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the webjar " + artifact + " is not on the class path (" + resource + ")");
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
