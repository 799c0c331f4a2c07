package io.strata.protocol.auth;

/** The server's answer to a successful {@link AuthRequest}. */
public record AuthAck(String kind, String name, String role) {
}
