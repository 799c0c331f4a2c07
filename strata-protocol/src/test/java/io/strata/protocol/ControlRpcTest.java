package io.strata.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.auth.Tokens;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.ControlServer;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlRpcTest {
    record Echo(String text) {
    }

    private static final String TOKEN_KEY = "token-key-for-tests";
    private static final String JOIN_SECRET = "join-secret-for-tests";
    private ControlServer server;

    @BeforeEach
    void start() {
        RpcRegistry registry = new RpcRegistry()
                .register("echo", Echo.class, Access.ANYONE, (ctx, p) -> new Echo(p.text() + "!"))
                .register("whoami", NoParams.class, Access.ANYONE, (ctx, p) -> new Echo(ctx.principal().name()))
                .register("change", Echo.class, Access.ADMIN, (ctx, p) -> new Echo("changed " + p.text()))
                .register("fail", NoParams.class, Access.ANYONE, (ctx, p) -> {
                    throw StrataException.conflict("core %d is already used by container %s", 3, "drives0");
                });
        Authenticator authenticator = (request, nonce, peer) -> switch (request.scheme()) {
            case AuthRequest.TOKEN -> Tokens.verify(TOKEN_KEY, request.proof(), System.currentTimeMillis());
            case AuthRequest.JOIN -> {
                if (!Credentials.verifyHmac(request, JOIN_SECRET, nonce)) {
                    throw new StrataException(ErrorCode.PERMISSION_DENIED, "join secret does not match");
                }
                yield Principal.member(request.subject());
            }
            default -> throw new StrataException(ErrorCode.PERMISSION_DENIED, "unknown scheme");
        };
        server = new ControlServer("test", new InetSocketAddress("127.0.0.1", 0), registry, authenticator,
                () -> "cluster-1", Release.current()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Test
    void anonymousCallsReadButCannotChange() {
        try (ControlClient client = ControlClient.connect(address(), Credentials.NONE, "cli")) {
            assertThat(client.call("echo", new Echo("hi"), Echo.class).text()).isEqualTo("hi!");
            assertThat(client.hello().clusterId()).isEqualTo("cluster-1");
            assertThatThrownBy(() -> client.call("change", new Echo("x")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("not logged in")
                    .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
        }
    }

    @Test
    void validTokenMayChangeAndForgedTokenIsRefused() {
        String token = Tokens.issue(TOKEN_KEY, "admin", Principal.ADMIN, System.currentTimeMillis() + 60_000);
        try (ControlClient client = ControlClient.connect(address(), Credentials.token(token), "cli")) {
            assertThat(client.identity().name()).isEqualTo("admin");
            assertThat(client.call("change", new Echo("x"), Echo.class).text()).isEqualTo("changed x");
        }
        String forged = Tokens.issue("another-key", "admin", Principal.ADMIN, System.currentTimeMillis() + 60_000);
        assertThatThrownBy(() -> ControlClient.connect(address(), Credentials.token(forged), "cli"))
                .isInstanceOf(StrataException.class).hasMessageContaining("not issued by this cluster");
        String expired = Tokens.issue(TOKEN_KEY, "admin", Principal.ADMIN, System.currentTimeMillis() - 1);
        assertThatThrownBy(() -> ControlClient.connect(address(), Credentials.token(expired), "cli"))
                .isInstanceOf(StrataException.class).hasMessageContaining("expired");
    }

    @Test
    void joinSecretProofIsCheckedAgainstTheNonce() {
        try (ControlClient client = ControlClient.connect(address(), Credentials.joinSecret("server1/drives0", JOIN_SECRET), "container")) {
            assertThat(client.call("whoami", NoParams.INSTANCE, Echo.class).text()).isEqualTo("server1/drives0");
        }
        assertThatThrownBy(() -> ControlClient.connect(address(), Credentials.joinSecret("server1/drives0", "wrong"), "container"))
                .isInstanceOf(StrataException.class).hasMessageContaining("join secret does not match");
    }

    @Test
    void errorsArriveAsTheServersOneLine() {
        try (ControlClient client = ControlClient.connect(address(), Credentials.NONE, "cli")) {
            assertThatThrownBy(() -> client.call("fail", NoParams.INSTANCE))
                    .isInstanceOf(StrataException.class)
                    .hasMessage("core 3 is already used by container drives0");
            assertThatThrownBy(() -> client.call("nope", NoParams.INSTANCE)).hasMessageContaining("unknown method 'nope'");
            // the connection is still usable after errors
            assertThat(client.call("echo", new Echo("again"), Echo.class).text()).isEqualTo("again!");
        }
    }

    @Test
    void malformedFramesCloseOnlyThatConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            ByteBuffer bad = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            bad.putInt(Integer.MAX_VALUE).putShort((short) 1).putShort((short) 0).putLong(0);
            out.write(bad.array());
            out.flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        try (ControlClient client = ControlClient.connect(address(), Credentials.NONE, "cli")) {
            assertThat(client.call("echo", new Echo("still"), Echo.class).text()).isEqualTo("still!");
        }
    }

    @Test
    void peersWithoutACommonProtocolAreToldWhy() {
        Release future = new Release("9.0.0", 9);
        assertThatThrownBy(() -> ControlClient.connect(address(), Credentials.NONE, "cli", 3000, future))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("no common protocol: peer speaks 8-9");
    }
}
