package io.logwarden.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The dashboard's and the sign-in page's Content-Security-Policy: scripts and style sheets only from this service's
 * own files, no inline script, no style attribute, no plugin, no framing, forms posting only here. The sign-in page
 * (which cannot load the signed-in style sheet) keeps one {@code <style>} element, allowed by a per-request nonce.
 * Also the usual companions: no MIME sniffing, no referrer to other sites.
 */
public class ContentSecurityPolicy implements HandlerInterceptor {

    /** Request attribute holding this response's nonce, for a {@code <style nonce>} element. */
    public static final String NONCE = "cspNonce";

    private static final SecureRandom RANDOM = new SecureRandom();

    static String policy(String nonce) {
        return "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-" + nonce + "'; img-src 'self' data:;"
                + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none';"
                + " object-src 'none'";
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        apply(request, response);
        return true;
    }

    /**
     * Sets the headers for this response, once: a page rendered outside Spring MVC (the throttled sign-in page, written
     * by a filter) calls this itself.
     */
    static void apply(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(NONCE) != null) {
            return;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getEncoder().encodeToString(bytes);
        request.setAttribute(NONCE, nonce);
        response.setHeader("Content-Security-Policy", policy(nonce));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
    }
}
