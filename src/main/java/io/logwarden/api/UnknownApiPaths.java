package io.logwarden.api;

import io.logwarden.store.NotFoundException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Any other path under /api/v1 answers 404 as problem+json (more specific mappings win over this one). */
@RestController
@Hidden
class UnknownApiPaths {

    @RequestMapping("/api/v1/**")
    void unknown(HttpServletRequest request) {
        throw new NotFoundException("API resource", request.getRequestURI());
    }
}
