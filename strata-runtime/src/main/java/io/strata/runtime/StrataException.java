package io.strata.runtime;

/**
 * An operating error that a person will read: one line, naming the values at fault.
 *
 * <p>Every refusal in Strata (bad CLI input, a resource file that does not fit, a request without
 * credentials, a peer that is unreachable) is one of these. It crosses the wire as its
 * {@link ErrorCode} and message, so the CLI prints the same line the server wrote.
 */
public class StrataException extends RuntimeException {
    private final ErrorCode code;

    public StrataException(ErrorCode code, String message) {
        super(oneLine(message));
        this.code = code;
    }

    public StrataException(ErrorCode code, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static StrataException invalid(String format, Object... args) {
        return new StrataException(ErrorCode.INVALID_ARGUMENT, String.format(format, args));
    }

    public static StrataException notFound(String format, Object... args) {
        return new StrataException(ErrorCode.NOT_FOUND, String.format(format, args));
    }

    public static StrataException conflict(String format, Object... args) {
        return new StrataException(ErrorCode.CONFLICT, String.format(format, args));
    }

    public static StrataException unavailable(String format, Object... args) {
        return new StrataException(ErrorCode.UNAVAILABLE, String.format(format, args));
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
