package io.strata.runtime;

/** The kinds of error that cross the wire; each maps to one CLI exit code. */
public enum ErrorCode {
    INVALID_ARGUMENT(2),
    NOT_FOUND(3),
    CONFLICT(4),
    NOT_LOGGED_IN(5),
    PERMISSION_DENIED(6),
    UNAVAILABLE(7),
    TIMEOUT(8),
    PROTOCOL(9),
    NO_SPACE(10),
    INTERNAL(1);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static ErrorCode parse(String name) {
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return INTERNAL;
    }
}
