package io.logwarden.web;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.logwarden.config.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in form (templates/login.ftlh): the product's name, the operator's user name and where the password
 * comes from, so that a first-time user knows what to type. Also shown, with status 429, when sign-in is throttled.
 */
@Controller
class SignInPage {

    private final SecurityProperties props;
    private final Configuration freemarker;

    SignInPage(SecurityProperties props) {
        this.props = props;
        this.freemarker = new Configuration(Configuration.VERSION_2_3_32);
        freemarker.setTemplateLoader(new ClassTemplateLoader(SignInPage.class, "/templates"));
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    }

    @GetMapping("/login")
    void show(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String message = null;
        if (request.getParameter("error") != null) {
            message = "Wrong user name or password.";
        } else if (request.getParameter("logout") != null) {
            message = "You are signed out.";
        }
        render(request, response, HttpServletResponse.SC_OK, message);
    }

    void renderThrottled(HttpServletRequest request, HttpServletResponse response, Duration wait) throws IOException {
        render(request, response, 429, "Too many failed sign-ins. Try again in " + Math.max(1, wait.toSeconds()) + " s.");
    }

    private void render(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("product", "Logwarden");
        model.put("user", props.adminUser());
        boolean fromEnvironment = props.adminPassword() != null && !props.adminPassword().isBlank();
        model.put("passwordFromEnvironment", fromEnvironment);
        model.put("passwordFile", props.passwordFile().toAbsolutePath().normalize().toString());
        model.put("action", request.getContextPath() + "/login");
        if (message != null) {
            model.put("message", message);
        }
        // The Content-Security-Policy allows this page's one style element by nonce; the throttled page is written by a
        // filter, outside the interceptor that sets it for the others.
        ContentSecurityPolicy.apply(request, response);
        if (request.getAttribute(ContentSecurityPolicy.NONCE) instanceof String nonce) {
            model.put("cspNonce", nonce);
        }
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        if (csrf != null) {
            model.put("csrfParameter", csrf.getParameterName());
            model.put("csrfToken", csrf.getToken());
        }
        response.setStatus(status);
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        try {
            freemarker.getTemplate("login.ftlh").process(model, response.getWriter());
        } catch (TemplateException e) {
            throw new IllegalStateException("templates/login.ftlh failed to render", e);
        }
    }
}
