package io.logwarden.dashboard;

import io.logwarden.store.TemplateQueries;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The templates mined per source: pattern, count, first and last seen, an example line where one was kept. */
@Controller
class TemplatePages {

    static final int PAGE = 50;

    private final TemplateQueries templates;

    TemplatePages(TemplateQueries templates) {
        this.templates = templates;
    }

    @GetMapping("/templates")
    String list(@RequestParam(required = false) String source, @RequestParam(defaultValue = "0") int page, Model model) {
        List<TemplateQueries.SourceTemplates> sources = templates.sources();
        String chosen = sources.stream().map(TemplateQueries.SourceTemplates::source).filter(s -> s.equals(source))
                .findFirst().orElse(sources.isEmpty() ? null : sources.get(0).source());
        int p = Math.max(0, page);
        model.addAttribute("sources", sources);
        model.addAttribute("source", chosen == null ? "" : chosen);
        model.addAttribute("page", p);
        List<TemplateQueries.TemplateView> rows = chosen == null ? List.of() : templates.forSource(chosen, p * PAGE, PAGE + 1);
        model.addAttribute("templates", rows.stream().limit(PAGE).toList());
        model.addAttribute("hasNext", rows.size() > PAGE);
        return "dashboard/templates";
    }
}
