package io.logwarden.dashboard;

import io.logwarden.api.RunNow;
import io.logwarden.store.SourceQueries;
import io.logwarden.event.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every source with its schedule, watermark, last job and health; a database or REST source can be run now. */
@Controller
class SourcePages {

    private static final Logger log = LoggerFactory.getLogger(SourcePages.class);

    private final SourceQueries sources;
    private final RunNow runs;

    SourcePages(SourceQueries sources, RunNow runs) {
        this.sources = sources;
        this.runs = runs;
    }

    @GetMapping("/sources")
    String list(Model model) {
        model.addAttribute("sources", sources.all());
        return "dashboard/sources";
    }

    /**
     * Starts one run (the API's run-now, {@link RunNow}) in the background and goes back to the list at once: the
     * job shows there and on the jobs page, live, while it runs.
     */
    @PostMapping("/sources/{name}/run")
    String run(@PathVariable String name, RedirectAttributes redirect) {
        SourceQueries.SourceView source = sources.find(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no source named " + name));
        if (!source.runnable()) {
            redirect.addFlashAttribute("problem", "Source " + name + " is a " + source.kind()
                    + " source: it cannot be run on demand (" + source.schedule() + ").");
            return "redirect:/sources";
        }
        Thread run = new Thread(() -> {
            try {
                runs.runNow(name);
            } catch (RuntimeException e) {
                log.warn("Run now of source {} (from the dashboard) failed: {}", LogText.escape(name), e.getMessage());
            }
        }, "dashboard-run-" + name);
        run.setDaemon(true);
        run.start();
        redirect.addFlashAttribute("message", "Source " + name + " runs now; its job shows below and on the jobs page.");
        return "redirect:/sources";
    }
}
