package io.strata.protocol.auth;

import java.nio.charset.StandardCharsets;

/** What a client presents after the handshake; {@link #NONE} skips authentication. */
public interface Credentials {
    /** The proof for this connection's nonce, or null to stay anonymous. */
    AuthRequest prove(String nonce);

    Credentials NONE = nonce -> null;

    static Credentials token(String token) {
        return nonce -> new AuthRequest(AuthRequest.TOKEN, null, token);
    }

    /** A cluster member (container or agent) proving it holds the join secret. */
    static Credentials joinSecret(String subject, String joinSecret) {
        byte[] key = joinSecret.getBytes(StandardCharsets.UTF_8);
        return nonce -> new AuthRequest(AuthRequest.JOIN, subject, Hmac.sha256Base64(key, AuthRequest.JOIN, subject, nonce));
    }

    /** The host's administrator proving it can read the host agent's local key. */
    static Credentials localKey(String subject, String localKey) {
        byte[] key = localKey.getBytes(StandardCharsets.UTF_8);
        return nonce -> new AuthRequest(AuthRequest.LOCAL, subject, Hmac.sha256Base64(key, AuthRequest.LOCAL, subject, nonce));
    }

    /** Verifies an HMAC proof made by {@link #joinSecret} or {@link #localKey}. */
    static boolean verifyHmac(AuthRequest request, String secret, String nonce) {
        if (secret == null || request.proof() == null || request.subject() == null) {
            return false;
        }
        String expected = Hmac.sha256Base64(secret.getBytes(StandardCharsets.UTF_8), request.scheme(), request.subject(), nonce);
        return Hmac.equalsConstantTime(expected, request.proof());
    }
}
