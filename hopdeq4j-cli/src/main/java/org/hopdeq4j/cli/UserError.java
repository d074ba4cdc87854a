package org.hopdeq4j.cli;

/** A mistake of the user's (bad option, missing file): printed as one line, exit status 2. */
final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
