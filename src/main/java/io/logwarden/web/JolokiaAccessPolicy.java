package io.logwarden.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Jolokia's gate (a Spring bean, which Jolokia's Spring Boot endpoint picks up): the MBean rules of
 * {@code jolokia-access.xml}, plus what only the current HTTP request can tell.
 * <ul>
 *   <li>Operations run only on a POST. Spring Security checks the CSRF token of every POST, so a cross-site page
 *       cannot make the operator's browser run one (a GET would carry no token).</li>
 *   <li>A browser's request must come from Logwarden's own origin: its {@code Origin} (or {@code Referer}) must be
 *       the scheme, host and port the request was sent to. Jolokia then echoes only that origin in
 *       {@code Access-Control-Allow-Origin}, never a foreign one.</li>
 * </ul>
 */
public final class JolokiaAccessPolicy implements Restrictor {

    static final String POLICY = "/jolokia-access.xml";

    private final PolicyRestrictor policy;

    public JolokiaAccessPolicy() {
        try (InputStream in = JolokiaAccessPolicy.class.getResourceAsStream(POLICY)) {
            if (in == null) {
                throw new IllegalStateException("classpath:" + POLICY + " is missing from the application");
            }
            this.policy = new PolicyRestrictor(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath:" + POLICY, e);
        }
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    /** exec requests reach {@link #isOperationAllowed}, where only the operations the policy allows pass. */
    @Override
    public boolean isTypeAllowed(RequestType type) {
        return type == RequestType.EXEC || policy.isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return isPost() && policy.isAttributeWriteAllowed(name, attribute);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return isPost() && policy.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    /**
     * Same origin only. Without an Origin or Referer the caller is not a browser page (curl, a script): allowed, as
     * such a caller holds the credentials itself.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        if (origin == null) {
            return true;
        }
        HttpServletRequest request = currentRequest();
        return request != null && ownOrigin(request).equals(originOf(origin));
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }

    private static boolean isPost() {
        HttpServletRequest request = currentRequest();
        return request != null && "POST".equalsIgnoreCase(request.getMethod());
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    /** scheme://host:port the request was sent to (as seen behind a proxy when forwarded headers are trusted). */
    static String ownOrigin(HttpServletRequest request) {
        return origin(request.getScheme(), request.getServerName(), request.getServerPort());
    }

    /** The origin part of an Origin header or Referer URL; "" when it is not a URL ("null", garbage). */
    static String originOf(String originOrUrl) {
        try {
            URI uri = URI.create(originOrUrl.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return origin(uri.getScheme(), uri.getHost(), port);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String origin(String scheme, String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return scheme.toLowerCase(Locale.ROOT) + "://" + h + ":" + port;
    }
}
