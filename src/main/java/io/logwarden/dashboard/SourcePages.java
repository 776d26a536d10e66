package io.logwarden.dashboard;

import io.logwarden.source.SourceRunner;
import io.logwarden.store.SourceQueries;
import org.apache.camel.ProducerTemplate;
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

    private final SourceQueries sources;
    private final ProducerTemplate producer;

    SourcePages(SourceQueries sources, ProducerTemplate producer) {
        this.sources = sources;
        this.producer = producer;
    }

    @GetMapping("/sources")
    String list(Model model) {
        model.addAttribute("sources", sources.all());
        return "dashboard/sources";
    }

    /** Starts one run in the background (the same route as the API's run-now) and goes back to the list. */
    @PostMapping("/sources/{name}/run")
    String run(@PathVariable String name, RedirectAttributes redirect) {
        SourceQueries.SourceView source = sources.find(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no source named " + name));
        if (!source.runnable()) {
            redirect.addFlashAttribute("problem", "Source " + name + " is a " + source.kind()
                    + " source: it cannot be run on demand (" + source.schedule() + ").");
            return "redirect:/sources";
        }
        producer.asyncSend("direct:run-source", ex -> {
            ex.getIn().setHeader(SourceRunner.SOURCE_NAME, name);
            ex.getIn().setHeader(SourceRunner.TRIGGER, "manual");
        });
        redirect.addFlashAttribute("message", "Source " + name + " runs now; its job appears below and on the jobs page.");
        return "redirect:/sources";
    }
}
