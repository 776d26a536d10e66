package io.logwarden.dashboard;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.view.freemarker.FreeMarkerConfigurer;

/** Renders a template of templates/dashboard/ to a string: the HTML pieces sent as server-sent events. */
@Component
class Fragments {

    private static final Formats FORMATS = new Formats();

    private final Configuration freemarker;

    Fragments(FreeMarkerConfigurer configurer) {
        this.freemarker = configurer.getConfiguration();
    }

    String render(String template, Map<String, Object> model) {
        Map<String, Object> all = new HashMap<>(model);
        all.put("fmt", FORMATS);
        StringWriter out = new StringWriter();
        try {
            freemarker.getTemplate("dashboard/" + template + ".ftlh").process(all, out);
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("templates/dashboard/" + template + ".ftlh failed to render", e);
        }
        return out.toString();
    }
}
