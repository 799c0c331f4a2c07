package io.strata.compute.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCodec;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.BucketState;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;

/**
 * Three real bucket replicas in this JVM ({@link BucketGroups}, Ratis over loopback, the real
 * {@link BucketStateMachine}), each with its own folder: one bucket's group, as three compute
 * processes hold it.
 */
final class BucketReplicas implements AutoCloseable {
    static final int BUCKET = 0;
    private static final String CLUSTER = "replicas-test";
    private static final int[] IDS = {21, 41, 61};

    private final Path dir;
    private final int[] ports = new int[IDS.length];
    private final RaftGroup group;
    private final BucketGroups[] servers = new BucketGroups[IDS.length];

    BucketReplicas(Path dir) throws Exception {
        this.dir = dir;
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports[i] = socket.getLocalPort();
            }
            peers.add(RaftPeer.newBuilder().setId(BucketGroups.peerId(IDS[i])).setAddress("127.0.0.1:" + ports[i]).build());
        }
        group = RaftGroup.valueOf(BucketGroups.groupId(CLUSTER, BUCKET), peers);
    }

    /** Starts every replica, each adding the bucket's group formatted. */
    void startAll() {
        for (int i = 0; i < IDS.length; i++) {
            servers[i] = newServer(i);
            servers[i].start();
            assertThat(servers[i].add(BUCKET, group, true)).isTrue();
        }
    }

    private BucketGroups newServer(int i) {
        return new BucketGroups(IDS[i], CLUSTER, dir.resolve("p" + IDS[i]), "127.0.0.1", ports[i],
                bucket -> new BucketStateMachine(bucket, 1));
    }

    List<BucketGroups> servers() {
        return List.of(servers);
    }

    int processId(int i) {
        return IDS[i];
    }

    int indexOf(BucketGroups server) {
        return List.of(servers).indexOf(server);
    }

    void stop(int i) {
        servers[i].close();
    }

    /** A replica stopped before starts again from its folder, as a restarted compute process does. */
    BucketGroups restart(int i) {
        servers[i] = newServer(i);
        servers[i].start();
        return servers[i];
    }

    /** The replica leading the bucket, once one does and has applied what its predecessors committed. */
    BucketGroups leader() throws InterruptedException {
        AtomicReference<BucketGroups> leader = new AtomicReference<>();
        await("a leader", 20, () -> {
            for (BucketGroups server : servers) {
                if (server.isLeader(BUCKET)) {
                    leader.set(server);
                    return true;
                }
            }
            return false;
        });
        return leader.get();
    }

    /** Commits one command per filesystem id in {@code [from, to]}, up to 50 at a time. */
    static void createRoots(BucketGroups leader, int from, int to) throws Exception {
        List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
        for (int fs = from; fs <= to; fs++) {
            inFlight.add(leader.submit(BUCKET, BucketCodec.encode(new BucketCommand.CreateRoot(fs, 0755, 0, 0, fs))));
            if (inFlight.size() == 50 || fs == to) {
                for (CompletableFuture<byte[]> answer : inFlight) {
                    assertThat(BucketStateMachine.decode(answer.get(30, TimeUnit.SECONDS)).errno()).isZero();
                }
                inFlight.clear();
            }
        }
    }

    /** The replica's whole state, in the snapshot format: equal bytes, equal replicas. */
    static byte[] state(BucketGroups server) {
        return ((BucketStateMachine) server.division(BUCKET).getStateMachine()).read(BucketState::snapshot);
    }

    /** Waits until {@code server} applied everything {@code leader} did, and holds the same state. */
    static void awaitSameState(BucketGroups server, BucketGroups leader, int seconds) throws InterruptedException {
        RaftServer.Division leading = leader.division(BUCKET);
        await("a replica holding its leader's state", seconds, () -> {
            RaftServer.Division division = server.division(BUCKET);
            return division != null && division.getInfo().getLastAppliedIndex() == leading.getInfo().getLastAppliedIndex();
        });
        assertThat(state(server)).isEqualTo(state(leader));
    }

    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        for (BucketGroups server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }
}
