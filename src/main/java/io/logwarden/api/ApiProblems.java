package io.logwarden.api;

import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457): 400 names the parameter (in {@code detail}
 * and in the {@code parameter} member), 404 names what was not found. Server errors say nothing of the cause.
 * It covers the alert package's endpoints too ({@code /api/v1/alerts}, {@code /api/v1/suppressions}).
 */
@RestControllerAdvice(basePackages = {"io.logwarden.api", "io.logwarden.alert"})
class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create("about:blank"));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    static ResponseEntity<ProblemDetail> badParameter(String parameter, String detail) {
        ResponseEntity<ProblemDetail> r = problem(HttpStatus.BAD_REQUEST, "Bad parameter: " + parameter, detail);
        r.getBody().setProperty("parameter", parameter);
        return r;
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidParameterException e) {
        return badParameter(e.parameter(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        return badParameter(e.getName(), e.getName() + " must be a " + ("long".equals(type) || "integer".equals(type)
                || "int".equals(type) ? "whole number" : type) + ", was '" + e.getValue() + "'");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e) {
        return badParameter(e.getParameterName(), e.getParameterName() + " is required");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        String field = "body";
        if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().get(m.getPath().size() - 1).getFieldName();
        }
        return badParameter(field == null ? "body" : field, "body".equals(field)
                ? "the request body must be a JSON object" : field + " has a value of the wrong type");
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "send application/json");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", e.getMessage());
    }

    @ExceptionHandler(ApiConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ApiConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("API request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed; the service log says why");
    }
}
