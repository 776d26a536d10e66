package io.logwarden.dashboard;

import io.logwarden.store.ApiKeyService;
import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * API keys through {@link ApiKeyService}: the list (never the keys themselves), a new key shown once on the page
 * that created it (the answer is not cached and not redirected, so the key is kept nowhere), and revocation.
 */
@Controller
class ApiKeyPages {

    private final ApiKeyService keys;

    ApiKeyPages(ApiKeyService keys) {
        this.keys = keys;
    }

    @GetMapping("/api-keys")
    String list(Model model) {
        model.addAttribute("keys", keys.list());
        model.addAttribute("scopes", ApiKeyService.SCOPES);
        return "dashboard/api-keys";
    }

    @PostMapping("/api-keys")
    String create(@RequestParam(required = false) String name, @RequestParam(required = false) String scope,
                  Principal operator, HttpServletResponse response, Model model) {
        try {
            ApiKeyService.CreatedKey created = keys.create(name, scope, PageModel.who(operator));
            model.addAttribute("created", created);
            response.setHeader("Cache-Control", "no-store");
        } catch (InvalidParameterException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("problem", e.getMessage());
            model.addAttribute("name", name == null ? "" : name);
        }
        return list(model);
    }

    @PostMapping("/api-keys/{id}/revoke")
    String revoke(@PathVariable long id, Principal operator, RedirectAttributes redirect) {
        try {
            ApiKeyService.ApiKey key = keys.revoke(id, PageModel.who(operator));
            redirect.addFlashAttribute("message", "Key “" + key.name() + "” is revoked: it is refused from now on.");
        } catch (NotFoundException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        return "redirect:/api-keys";
    }
}
