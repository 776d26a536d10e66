package io.logwarden.store;

/** A query or change was asked with a value it cannot take; names the parameter so an API can say which. */
public class InvalidParameterException extends IllegalArgumentException {

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
