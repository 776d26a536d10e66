package io.logwarden.dashboard;

import io.logwarden.web.ContentSecurityPolicy;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The dashboard's pages and the sign-in page answer with {@link ContentSecurityPolicy}'s headers. */
@Configuration(proxyBeanMethods = false)
class DashboardWeb implements WebMvcConfigurer {

    /** Every dashboard path (also in {@link PageModel}'s navigation), and the sign-in page. */
    static final String[] PAGES = {"/", "/anomalies", "/anomalies/**", "/jobs", "/jobs/**", "/sources", "/sources/**",
            "/templates", "/templates/**", "/api-keys", "/api-keys/**", "/login"};

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ContentSecurityPolicy()).addPathPatterns(PAGES)
                // a report file carries its own, stricter policy (ReportFiles)
                .excludePathPatterns("/jobs/*/reports/*");
    }
}
