package io.logwarden.web;

import static org.springframework.security.config.Customizer.withDefaults;

import io.logwarden.config.ApiProperties;
import io.logwarden.config.SecurityProperties;
import io.logwarden.store.ApiKeyService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operators sign in (the form at /login, or HTTP Basic for scripts) to reach everything but the sign-in page and a
 * bare health status. Failed sign-ins are logged and throttled ({@link SignInThrottle}); Jolokia is further limited
 * by {@link JolokiaAccessPolicy}. In the {@code dev} profile everything is open. Hawtio's own login is off: Spring
 * Security is the one gate.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** API clients (scripts, the command line) send this header, with any value, beside their credentials. */
    public static final String API_CLIENT_HEADER = "X-Logwarden-Client";

    /** The operator's roles as authorities. */
    static final String OPERATOR = "ROLE_admin";
    static final String VIEWER = "ROLE_viewer";

    /**
     * CORS for the API: only the configured origins (none by default), so a preflight from any other origin is
     * refused with 403. Keys, not cookies, carry the caller's identity across origins.
     */
    static CorsConfigurationSource corsSource(ApiProperties.Cors cors) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(cors.allowedOrigins());
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE", "OPTIONS"));
        config.setAllowedHeaders(List.of("Authorization", ApiKeyFilter.HEADER, "Content-Type", API_CLIENT_HEADER));
        config.setExposedHeaders(List.of("Retry-After", "Location", "X-RateLimit-Remaining", "X-RateLimit-Limit"));
        config.setAllowCredentials(false);
        config.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", config);
        return source;
    }

    /** Where a sign-in without a page to return to lands: the dashboard's overview. */
    static final String LANDING = "/";

    @Bean
    @Profile("!dev")
    SecurityFilterChain operatorsOnly(HttpSecurity http, UserDetailsService operators, SignInThrottle throttle,
            SignInPage signInPage, ApiKeyService apiKeys, ApiProperties api) throws Exception {
        // Hawtio is a single-page app: it reads the CSRF token from the XSRF-TOKEN cookie and sends it back as a header.
        CsrfTokenRequestAttributeHandler plainToken = new CsrfTokenRequestAttributeHandler();
        plainToken.setCsrfRequestAttributeName(null);
        CookieCsrfTokenRepository csrfCookie = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfCookie.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        http.authenticationManager(new CountingAuthenticationManager(authenticationManager(operators), throttle))
                .authorizeHttpRequests(auth -> auth
                        // JSONP would let any page read Jolokia's answers with the operator's cookies.
                        .requestMatchers(request -> request.getRequestURI().contains("/jolokia")
                                && request.getParameter("callback") != null).denyAll()
                        // Anonymous callers see UP or DOWN only; details need a sign-in (show-details: when-authorized).
                        .requestMatchers(EndpointRequest.to("health")).permitAll()
                        .requestMatchers("/login", "/error").permitAll()
                        // API keys are managed by a signed-in operator; no key can make or revoke keys.
                        .requestMatchers("/api/v1/api-keys", "/api/v1/api-keys/**").hasRole("admin")
                        // A read key reads the API; changes (status, run now) need a write key or an operator.
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyAuthority(OPERATOR, VIEWER,
                                ApiKeyAuthentication.READ)
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasAnyAuthority(OPERATOR, VIEWER,
                                ApiKeyAuthentication.READ)
                        .requestMatchers("/api/**").hasAnyAuthority(OPERATOR, ApiKeyAuthentication.WRITE)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").hasAnyAuthority(OPERATOR, VIEWER,
                                ApiKeyAuthentication.READ)
                        // Prometheus scrapes with a read key.
                        .requestMatchers(EndpointRequest.to("prometheus")).hasAnyAuthority(OPERATOR, VIEWER,
                                ApiKeyAuthentication.READ)
                        .anyRequest().authenticated())
                .cors(cors -> cors.configurationSource(corsSource(api.cors())))
                .exceptionHandling(e -> e
                        .accessDeniedHandler(new ApiAccessDenied())
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> {
                            response.setHeader("WWW-Authenticate", "Bearer, Basic realm=\"Logwarden\"");
                            ApiResponses.problem(response, 401, "Unauthorized",
                                    "sign in, or send an API key as Authorization: Bearer <key> or X-API-Key: <key>");
                        }, ApiResponses::isApi))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl(LANDING))
                .httpBasic(withDefaults())
                .csrf(csrf -> csrf.csrfTokenRepository(csrfCookie)
                        .csrfTokenRequestHandler(plainToken)
                        // Scripts and the command line call the API with HTTP Basic and no session. Browsers re-send
                        // cached Basic credentials on cross-site requests, but no cross-site page can add a custom
                        // header without a CORS preflight (which is refused), so the header marks a real client.
                        .ignoringRequestMatchers(request -> request.getRequestURI().startsWith("/api/")
                                && request.getHeader("Authorization") != null
                                && request.getHeader(API_CLIENT_HEADER) != null)
                        // A key is a header no cross-site page can add without a (refused) preflight, and no
                        // browser sends by itself: requests with a key need no CSRF token.
                        .ignoringRequestMatchers(request -> ApiResponses.isApi(request) && ApiKeyFilter.carriesKey(request)))
                .addFilterBefore(new ApiKeyFilter(apiKeys), BasicAuthenticationFilter.class)
                .addFilterAfter(new ApiRateLimitFilter(api.rateLimit().perMinute()), ApiKeyFilter.class)
                .addFilterBefore(new SignInThrottleFilter(throttle, signInPage), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    @Profile("dev")
    SecurityFilterChain openForDevelopment(HttpSecurity http) throws Exception {
        log.warn("Profile dev: Hawtio, Jolokia and metrics are open without sign-in");
        http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll()).csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Jolokia's Spring Boot endpoint uses this bean as its restrictor. */
    @Bean
    JolokiaAccessPolicy jolokiaAccessPolicy() {
        return new JolokiaAccessPolicy();
    }

    @Bean
    SignInThrottle signInThrottle(SecurityProperties props) {
        return new SignInThrottle(props.signIn(), Clock.systemUTC());
    }

    @Bean
    UserDetailsService operators(SecurityProperties props) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = props.adminPassword();
        if (password == null || password.isBlank()) {
            password = generatedPassword(props.adminUser(), props.passwordFile());
        }
        return new InMemoryUserDetailsManager(User.withUsername(props.adminUser())
                .password(encoder.encode(password)).roles("admin", "viewer").build());
    }

    private static AuthenticationManager authenticationManager(UserDetailsService operators) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(operators);
        provider.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return new ProviderManager(provider);
    }

    /** A random password kept in a file only its owner can read; reused across restarts. Never logged. */
    private static String generatedPassword(String user, Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".admin-password", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the folder's permissions apply.
            }
            Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file);
            log.info("No logwarden.security.admin-password set: generated one for user '{}' in {}", user, file.toAbsolutePath());
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write the generated admin password in " + file, e);
        }
    }

    /** Loads the deferred CSRF token on every request so the cookie is always there for the single-page app. */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

}
