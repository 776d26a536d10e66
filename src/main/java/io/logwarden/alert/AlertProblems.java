package io.logwarden.alert;

import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The alert and suppression endpoints' errors as {@code application/problem+json}, in the form of the rest of
 * /api/v1: 400 names the parameter (in {@code detail} and the {@code parameter} member), 404 names what is missing.
 */
@RestControllerAdvice(basePackageClasses = AlertProblems.class)
class AlertProblems {

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidParameterException e) {
        ResponseEntity<ProblemDetail> r = problem(HttpStatus.BAD_REQUEST, "Bad parameter: " + e.parameter(), e.getMessage());
        r.getBody().setProperty("parameter", e.parameter());
        return r;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request body", "the request body must be a JSON object");
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create("about:blank"));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
