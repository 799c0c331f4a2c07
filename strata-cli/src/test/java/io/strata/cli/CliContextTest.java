package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.ControlServer;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CliContext#clusterView()} reads the cluster's view again on a fresh connection when the
 * one it used is lost midway (a management process restarting, as during an upgrade), a few
 * times, and not at all for an answer that is an error of another kind.
 */
class CliContextTest {
    @TempDir
    Path home;

    private final AtomicInteger calls = new AtomicInteger();
    private ControlServer management;
    private DroppingProxy proxy;

    /** Serves the view behind a proxy; {@code drop} decides, per call (0, 1, ...), whether the connection is lost during it. */
    private CliContext cliBehindProxy(IntPredicate drop) throws IOException {
        RpcRegistry registry = new RpcRegistry().register(ManagementApi.VIEW, NoParams.class, Access.ANYONE, (context, params) -> {
            if (drop.test(calls.getAndIncrement())) {
                proxy.dropAll(); // the answer below is written to a connection that no longer reaches the CLI
            }
            return new ClusterView(null, 1, 1, false, 0);
        });
        management = new ControlServer("management", new InetSocketAddress("127.0.0.1", 0), registry,
                (request, nonce, peer) -> {
                    throw new StrataException(ErrorCode.PERMISSION_DENIED, "no credentials in this test");
                }, () -> "cluster-1", Release.current()).start();
        proxy = new DroppingProxy(management.port());
        StringWriter discard = new StringWriter();
        return new CliContext("127.0.0.1:" + proxy.port(), false, null, new PrintWriter(discard), new PrintWriter(discard),
                new StrataHome(home));
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (management != null) {
            management.close();
        }
    }

    @Test
    void aConnectionLostDuringTheReadIsTriedAgainOnAFreshOne() throws IOException {
        CliContext cli = cliBehindProxy(call -> call == 0);
        ClusterView view = cli.clusterView();
        assertThat(view.answeredBy()).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(proxy.connections()).isEqualTo(2);
    }

    @Test
    void aConnectionLostEveryTimeEndsInOneClearErrorAfterThreeAttempts() throws IOException {
        CliContext cli = cliBehindProxy(call -> true);
        assertThatThrownBy(cli::clusterView)
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("lost connection")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void anErrorAnswerOfAnotherKindIsNotTriedAgain() throws IOException {
        RpcRegistry registry = new RpcRegistry().register(ManagementApi.VIEW, NoParams.class, Access.ANYONE, (context, params) -> {
            calls.incrementAndGet();
            throw new StrataException(ErrorCode.PERMISSION_DENIED, "not for you");
        });
        management = new ControlServer("management", new InetSocketAddress("127.0.0.1", 0), registry,
                (request, nonce, peer) -> {
                    throw new StrataException(ErrorCode.PERMISSION_DENIED, "no credentials in this test");
                }, () -> "cluster-1", Release.current()).start();
        StringWriter discard = new StringWriter();
        CliContext cli = new CliContext("127.0.0.1:" + management.port(), false, null, new PrintWriter(discard),
                new PrintWriter(discard), new StrataHome(home));
        assertThatThrownBy(cli::clusterView).hasMessageContaining("not for you");
        assertThat(calls.get()).isEqualTo(1);
    }

    /** A TCP proxy on loopback to one port that can drop every connection it carries at once. */
    private static final class DroppingProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final int target;

        DroppingProxy(int target) throws IOException {
            this.target = target;
            Thread.ofVirtual().start(this::acceptLoop);
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return accepted.get();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(java.net.InetAddress.getLoopbackAddress(), target);
                    accepted.incrementAndGet();
                    open.add(client);
                    open.add(server);
                    Thread.ofVirtual().start(() -> pump(client, server));
                    Thread.ofVirtual().start(() -> pump(server, client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // dropped: the other pump ends too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        /** Drops the connections open now; one accepted meanwhile stays (it belongs to the next attempt). */
        void dropAll() {
            for (Socket socket : open) {
                closeQuietly(socket);
                open.remove(socket);
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            dropAll();
        }
    }
}
