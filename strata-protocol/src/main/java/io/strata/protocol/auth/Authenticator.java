package io.strata.protocol.auth;

/**
 * Decides who a connection's {@link AuthRequest} proves its peer to be. Throws a
 * {@link io.strata.runtime.StrataException} (PERMISSION_DENIED) when the proof is wrong; the
 * server logs the refusal with the peer's address and the subject, never the proof.
 */
public interface Authenticator {
    Principal authenticate(AuthRequest request, String nonce, String peerAddress);

    /** Refuses every proof: only anonymous connections. */
    Authenticator ANONYMOUS_ONLY = (request, nonce, peer) -> {
        throw new io.strata.runtime.StrataException(io.strata.runtime.ErrorCode.PERMISSION_DENIED,
                "this server accepts no credentials");
    };
}
