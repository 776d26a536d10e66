package io.logwarden.dashboard;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The templates mined per source: pattern, count, first and last seen, an example line where one was kept. */
@Controller
class TemplatePages {

    private final DashboardQueries queries;

    TemplatePages(DashboardQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/templates")
    String list(@RequestParam(required = false) String source, @RequestParam(defaultValue = "0") int page, Model model) {
        List<String> sources = queries.templateSources();
        String chosen = source != null && sources.contains(source) ? source : sources.isEmpty() ? null : sources.get(0);
        model.addAttribute("sources", sources);
        model.addAttribute("source", chosen == null ? "" : chosen);
        model.addAttribute("page", Math.max(0, page));
        if (chosen != null) {
            DashboardQueries.Page<DashboardQueries.TemplateRow> rows = queries.templates(chosen, Math.max(0, page));
            model.addAttribute("templates", rows.items());
            model.addAttribute("hasNext", rows.hasNext());
            model.addAttribute("examples", queries.examples(chosen, rows.items().stream().map(DashboardQueries.TemplateRow::id).toList()));
        } else {
            model.addAttribute("templates", List.of());
            model.addAttribute("hasNext", false);
            model.addAttribute("examples", java.util.Map.of());
        }
        return "dashboard/templates";
    }
}
