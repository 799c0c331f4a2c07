package io.strata.protocol.nio;

import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Credentials;
import io.strata.runtime.Release;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import io.strata.protocol.auth.Principal;

/**
 * Everything a {@link NioTransport} is configured with, validated once before it starts.
 *
 * @param name            for logs: which process this transport belongs to
 * @param bindAddress     where to accept connections, or null for a transport that only connects
 * @param release         the release and protocols this side speaks
 * @param authenticator   checks the proofs of incoming connections
 * @param credentials     what this side proves on outgoing connections
 * @param admits          which principals may send data-plane frames (others are refused and logged)
 * @param clusterId       the cluster this process belongs to, told to peers in the handshake
 * @param maxQueuedBytesPerConnection bound on unsent bytes a connection may hold before send() refuses
 */
public record TransportContext(
        String name,
        InetSocketAddress bindAddress,
        Release release,
        Authenticator authenticator,
        Credentials credentials,
        Predicate<Principal> admits,
        Supplier<String> clusterId,
        long maxQueuedBytesPerConnection) {

    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;

    public TransportContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(release, "release");
        authenticator = authenticator == null ? Authenticator.ANONYMOUS_ONLY : authenticator;
        credentials = credentials == null ? Credentials.NONE : credentials;
        admits = admits == null ? principal -> true : admits;
        clusterId = clusterId == null ? () -> null : clusterId;
        if (maxQueuedBytesPerConnection <= 0) {
            maxQueuedBytesPerConnection = DEFAULT_MAX_QUEUED_BYTES;
        }
    }
}
