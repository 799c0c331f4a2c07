package io.strata.protocol.auth;

/**
 * The second frame of an authenticated connection. {@code proof} is never logged: for
 * {@code token} it is the bearer token, for {@code join} and {@code local} an HMAC of the
 * connection's nonce, so a captured proof is worth nothing on another connection.
 */
public record AuthRequest(String scheme, String subject, String proof) {
    public static final String TOKEN = "token";
    public static final String JOIN = "join";
    public static final String LOCAL = "local";

    @Override
    public String toString() {
        return "AuthRequest[scheme=" + scheme + ", subject=" + subject + ", proof=<hidden>]";
    }
}
