package io.strata.control.auth;

import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.auth.Tokens;
import io.strata.runtime.Clock;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.util.function.Supplier;

/**
 * Who may talk to a management process or a host agent: users with a token signed by the
 * cluster's token key, members proving the join secret, and the host's administrator proving
 * the local key. The secrets are read through suppliers, so a server that joins a cluster
 * later starts accepting its members without a restart.
 */
public final class ControlAuthenticator implements Authenticator {
    private final Supplier<String> joinSecret;
    private final Supplier<String> tokenKey;
    private final Supplier<String> localKey;
    private final Clock clock;

    public ControlAuthenticator(Supplier<String> joinSecret, Supplier<String> tokenKey, Supplier<String> localKey, Clock clock) {
        this.joinSecret = joinSecret;
        this.tokenKey = tokenKey;
        this.localKey = localKey;
        this.clock = clock;
    }

    @Override
    public Principal authenticate(AuthRequest request, String nonce, String peerAddress) {
        if (request.scheme() == null) {
            throw denied("no authentication scheme named");
        }
        return switch (request.scheme()) {
            case AuthRequest.TOKEN -> {
                String key = tokenKey.get();
                if (key == null) {
                    throw Tokens.notLoggedIn("this server belongs to no cluster yet");
                }
                yield Tokens.verify(key, request.proof(), clock.epochMillis());
            }
            case AuthRequest.JOIN -> {
                String secret = joinSecret.get();
                if (secret == null) {
                    throw denied("this server belongs to no cluster yet, so no join secret can match");
                }
                if (!Credentials.verifyHmac(request, secret, nonce)) {
                    throw denied("join secret does not match");
                }
                yield Principal.member(request.subject());
            }
            case AuthRequest.LOCAL -> {
                if (!Credentials.verifyHmac(request, localKey.get(), nonce)) {
                    throw denied("local key does not match");
                }
                yield Principal.local(request.subject());
            }
            default -> throw denied("unknown authentication scheme '" + request.scheme() + "'");
        };
    }

    private static StrataException denied(String message) {
        return new StrataException(ErrorCode.PERMISSION_DENIED, message);
    }
}
