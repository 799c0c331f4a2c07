package io.strata.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.nio.Connection;
import io.strata.protocol.nio.FrameHandler;
import io.strata.protocol.nio.NioTransport;
import io.strata.protocol.nio.TransportContext;
import io.strata.runtime.Clock;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NioTransportTest {
    private static final short ECHO = 40;
    private static final String SECRET = "cluster-join-secret";

    private final List<NioTransport> transports = new ArrayList<>();
    private final List<String> closedReasons = new ArrayList<>();

    private final Authenticator authenticator = (request, nonce, peer) -> {
        if (AuthRequest.JOIN.equals(request.scheme()) && Credentials.verifyHmac(request, SECRET, nonce)) {
            return Principal.member(request.subject());
        }
        throw new StrataException(ErrorCode.PERMISSION_DENIED, "join secret does not match");
    };

    /** Echoes every data frame back, with the same correlation id. */
    private NioTransport echoServer() {
        TransportContext context = new TransportContext("server", new InetSocketAddress("127.0.0.1", 0), Release.current(),
                authenticator, null, p -> p.kind() == Principal.Kind.MEMBER, () -> "c1", 0);
        NioTransport server = new NioTransport(context, new FrameHandler() {
            @Override
            public void onFrame(Connection connection, Frame frame) {
                byte[] copy = frame.payloadBytes();
                connection.send(ECHO, frame.correlationId(), copy);
            }
        }, Clock.SYSTEM);
        transports.add(server);
        return server;
    }

    private NioTransport client(Credentials credentials, List<byte[]> received) {
        TransportContext context = new TransportContext("client", null, Release.current(), null, credentials, null, null, 0);
        NioTransport client = new NioTransport(context, new FrameHandler() {
            @Override
            public void onFrame(Connection connection, Frame frame) {
                received.add(frame.payloadBytes());
            }

            @Override
            public void onClosed(Connection connection, String reason) {
                closedReasons.add(reason);
            }
        }, Clock.SYSTEM);
        transports.add(client);
        return client;
    }

    private void pollUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            transports.forEach(NioTransport::poll);
        }
    }

    @AfterEach
    void close() {
        transports.forEach(NioTransport::close);
    }

    @Test
    void framesSentBeforeTheHandshakeArriveInOrderIncludingLargeOnes() {
        NioTransport server = echoServer();
        List<byte[]> received = new ArrayList<>();
        NioTransport client = client(Credentials.joinSecret("server1/frontend0", SECRET), received);
        Connection connection = client.connect(new InetSocketAddress("127.0.0.1", server.boundPort()));
        Random random = new Random(42);
        List<byte[]> sent = new ArrayList<>();
        int[] sizes = {0, 1, 100, 300_000, 4 * 1024 * 1024, 17};
        for (int i = 0; i < sizes.length; i++) {
            byte[] payload = new byte[sizes[i]];
            random.nextBytes(payload);
            sent.add(payload);
            assertThat(connection.send(ECHO, i, payload)).isTrue();
        }
        pollUntil(() -> received.size() == sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            assertThat(received.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
        }
        assertThat(connection.principal().name()).isEqualTo("server1/frontend0");
    }

    @Test
    void callbacksReturnBuffersOnceWritten() {
        NioTransport server = echoServer();
        List<byte[]> received = new ArrayList<>();
        NioTransport client = client(Credentials.joinSecret("s/c", SECRET), received);
        Connection connection = client.connect(new InetSocketAddress("127.0.0.1", server.boundPort()));
        int[] returned = {0};
        ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2});
        ByteBuffer b = ByteBuffer.allocateDirect(3).put(new byte[] {3, 4, 5}).flip();
        connection.send(ECHO, 7, () -> returned[0]++, a, b);
        pollUntil(() -> received.size() == 1);
        assertThat(received.getFirst()).containsExactly(1, 2, 3, 4, 5);
        assertThat(returned[0]).isEqualTo(1);
    }

    @Test
    void aWrongSecretLosesTheConnectionAndTheServerKeepsServing() {
        NioTransport server = echoServer();
        List<byte[]> received = new ArrayList<>();
        NioTransport bad = client(Credentials.joinSecret("intruder", "wrong"), received);
        Connection refused = bad.connect(new InetSocketAddress("127.0.0.1", server.boundPort()));
        refused.send(ECHO, 1, new byte[] {1});
        pollUntil(refused::isClosed);
        assertThat(closedReasons).anyMatch(r -> r.contains("join secret does not match"));
        assertThat(received).isEmpty();

        NioTransport anonymous = client(Credentials.NONE, received);
        Connection anonymousConnection = anonymous.connect(new InetSocketAddress("127.0.0.1", server.boundPort()));
        anonymousConnection.send(ECHO, 1, new byte[] {1});
        pollUntil(anonymousConnection::isClosed);
        assertThat(received).isEmpty();

        NioTransport good = client(Credentials.joinSecret("member", SECRET), received);
        good.connect(new InetSocketAddress("127.0.0.1", server.boundPort())).send(ECHO, 2, new byte[] {9});
        pollUntil(() -> received.size() == 1);
        assertThat(received.getFirst()).containsExactly(9);
    }

    @Test
    void malformedLengthIsRefusedWithoutHarmToOthers() throws Exception {
        NioTransport server = echoServer();
        try (Socket raw = new Socket("127.0.0.1", server.boundPort())) {
            OutputStream out = raw.getOutputStream();
            out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).array());
            out.flush();
            raw.setSoTimeout(100);
            boolean closed = false;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!closed && System.nanoTime() < deadline) {
                server.poll();
                try {
                    closed = raw.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException e) {
                    // not yet
                }
            }
            assertThat(closed).isTrue();
        }
        List<byte[]> received = new ArrayList<>();
        NioTransport good = client(Credentials.joinSecret("member", SECRET), received);
        good.connect(new InetSocketAddress("127.0.0.1", server.boundPort())).send(ECHO, 2, new byte[] {4});
        pollUntil(() -> received.size() == 1);
        assertThat(received.getFirst()).containsExactly(4);
    }
}
