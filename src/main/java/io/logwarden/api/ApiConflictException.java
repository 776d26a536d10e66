package io.logwarden.api;

/** The request is understood but cannot be done in the resource's state (409). */
class ApiConflictException extends RuntimeException {

    ApiConflictException(String message) {
        super(message);
    }
}
