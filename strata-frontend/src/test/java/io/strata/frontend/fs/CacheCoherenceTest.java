package io.strata.frontend.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.process.PeerConnections;
import io.strata.control.process.Timers;
import io.strata.frontend.wire.FrontendFrames;
import io.strata.frontend.wire.FrontendFrames.Name;
import io.strata.protocol.Frame;
import io.strata.runtime.ManualClock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Directories' attributes and names are cached by kernels only as long as every change to them is
 * announced to every mount before it is acknowledged, and never longer than a silent peer's
 * kernels could hold them.
 */
class CacheCoherenceTest {
    private static final String RELEASE = "1.0";
    private static final int FS = 7;
    private static final int SELF = 21;
    private static final long DIR = (3L << 48) | 10;
    private static final long OTHER_DIR = (4L << 48) | 11;

    private final ManualClock clock = new ManualClock(0);
    private final Timers timers = new Timers(clock);
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicReference<ClusterConfig> config = new AtomicReference<>();
    private CacheCoherence coherence;

    private record Sent(int peer, FrontendFrames.InodesChanged change, PeerConnections.ResponseHandler handler) {
        void answer(boolean serves) {
            handler.onResponse(new Frame(FrontendFrames.CHANGE_SEEN, (short) 0, 1, FrontendFrames.changeSeen(serves)));
        }
    }

    private static final class FakeKernel implements CacheCoherence.MountCache {
        final int fsId;
        final int mountId;
        final List<Long> droppedAttributes = new ArrayList<>();
        final List<Name> droppedNames = new ArrayList<>();

        FakeKernel(int fsId, int mountId) {
            this.fsId = fsId;
            this.mountId = mountId;
        }

        @Override
        public int fsId() {
            return fsId;
        }

        @Override
        public int mountId() {
            return mountId;
        }

        @Override
        public int drop(long ino) {
            droppedAttributes.add(ino);
            return 0;
        }

        @Override
        public int dropName(long parent, String name) {
            droppedNames.add(new Name(parent, name));
            return 2; // ENOENT: nothing cached, which is no failure
        }
    }

    @BeforeEach
    void setUp() {
        config.set(cluster(RELEASE, RELEASE, RELEASE));
        coherence = new CacheCoherence(config::get, () -> SELF, RELEASE, clock, timers,
                (peer, payload, timeoutMs, handler) -> sent.add(new Sent(peer, FrontendFrames.decode(payload), handler)),
                Runnable::run, Runnable::run);
    }

    /** Three frontend containers (processes 21, 41, 61) and a drives container, each of the given release. */
    private static ClusterConfig cluster(String release1, String release2, String release3) {
        TreeMap<Integer, ContainerEntry> containers = new TreeMap<>();
        String[] releases = {release1, release2, release3};
        for (int id = 1; id <= 3; id++) {
            containers.put(id, new ContainerEntry(id, "frontend0", "server" + id, "127.0.0." + id, "server" + id, 14000, releases[id - 1],
                    true, Health.UP, 0, null, 0, List.of(new ProcessEntry(id * 20, 0, Role.MANAGEMENT, null, 14000, Health.UP),
                            new ProcessEntry(id * 20 + 1, 1, Role.FRONTEND, 1, 14001, Health.UP)), 0, 0));
        }
        containers.put(4, new ContainerEntry(4, "drives0", "server1", "127.0.0.1", "server1", 15000, "0.9", true, Health.UP, 0, null, 0,
                List.of(new ProcessEntry(81, 1, Role.DRIVE, 1, 15001, Health.UP)), 0, 0));
        return new ClusterConfig(1, "c", "c", 0, null, 0, null, containers, null, null, RELEASE, 5);
    }

    private FakeKernel mounted(int mountId) {
        FakeKernel kernel = new FakeKernel(FS, mountId);
        coherence.register(kernel);
        return kernel;
    }

    private void settle() {
        clock.advance(CacheCoherence.QUIET_NS, TimeUnit.NANOSECONDS);
    }

    private void advanceMs(long ms) {
        clock.advance(ms, TimeUnit.MILLISECONDS);
        timers.poll();
    }

    @Test
    void namesAndAttributesAreCachedOnlyOnceTheMountHasSettled() {
        mounted(1);
        assertThat(coherence.attrTimeoutNanos(FS, DIR, coherence.asked())).as("a mount just begun").isZero();
        settle();
        CacheCoherence.Asked asked = coherence.asked();
        assertThat(coherence.attrTimeoutNanos(FS, DIR, asked)).isEqualTo(CacheCoherence.CACHE_NS);
        assertThat(coherence.entryTimeoutNanos(FS, OTHER_DIR, DIR, asked)).isEqualTo(CacheCoherence.CACHE_NS);
        assertThat(coherence.attrTimeoutNanos(FS + 1, DIR, asked)).as("a filesystem not mounted here").isZero();
    }

    @Test
    void whatIsCachedAgesFromWhenItsRequestLeft() {
        mounted(1);
        settle();
        CacheCoherence.Asked asked = coherence.asked();
        clock.advance(300, TimeUnit.MILLISECONDS);
        assertThat(coherence.attrTimeoutNanos(FS, DIR, asked)).isEqualTo(CacheCoherence.CACHE_NS - TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(coherence.mayCache(FS, DIR, asked)).isTrue();
        clock.advance(CacheCoherence.CACHE_NS, TimeUnit.NANOSECONDS);
        assertThat(coherence.attrTimeoutNanos(FS, DIR, asked)).as("an answer that took longer than caches last").isZero();
        assertThat(coherence.mayCache(FS, DIR, asked)).isFalse();
    }

    @Test
    void nothingIsCachedWhileAnotherFrontendRunsAnotherRelease() {
        mounted(1);
        settle();
        config.set(cluster(RELEASE, "0.9", RELEASE));
        assertThat(coherence.attrTimeoutNanos(FS, DIR, coherence.asked())).isZero();
        config.set(cluster(RELEASE, RELEASE, RELEASE));
        assertThat(coherence.attrTimeoutNanos(FS, DIR, coherence.asked())).isEqualTo(CacheCoherence.CACHE_NS);
    }

    @Test
    void aChangeIsAcknowledgedOnceEveryMountDroppedIt() {
        FakeKernel own = mounted(1);
        AtomicBoolean done = new AtomicBoolean();
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> done.set(true));
        assertThat(own.droppedAttributes).containsExactly(DIR);
        assertThat(sent).extracting(Sent::peer).containsExactly(41, 61).as("frontends of this release, not itself");
        assertThat(sent.get(0).change().inos()).containsExactly(DIR);
        assertThat(sent.get(0).change().fsId()).isEqualTo(FS);
        sent.get(0).answer(true);
        assertThat(done).as("one peer has not answered").isFalse();
        sent.get(1).answer(true);
        assertThat(done).isTrue();
    }

    @Test
    void frontendsOfAnotherReleaseAreNotTold() {
        config.set(cluster(RELEASE, "0.9", RELEASE));
        AtomicBoolean done = new AtomicBoolean();
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> done.set(true));
        assertThat(sent).extracting(Sent::peer).containsExactly(61);
        sent.get(0).answer(true);
        assertThat(done).isTrue();
    }

    @Test
    void aPeerThatDoesNotAnswerIsWaitedOutForAsLongAsKernelsCache() {
        AtomicBoolean done = new AtomicBoolean();
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> done.set(true));
        sent.get(0).answer(true);
        advanceMs(200);
        sent.get(1).handler().onFailure("timed out");
        assertThat(done).as("its kernels may still hold the directory").isFalse();
        advanceMs(TimeUnit.NANOSECONDS.toMillis(CacheCoherence.CACHE_NS) - 250);
        assertThat(done).isFalse();
        advanceMs(60);
        assertThat(done).as("a cache time after the notice was sent").isTrue();
    }

    @Test
    void aPeerUnreachableForLongerThanKernelsCacheIsNotWaitedFor() {
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> { });
        sent.get(0).answer(true);
        sent.get(1).handler().onFailure("connection refused");
        advanceMs(TimeUnit.NANOSECONDS.toMillis(CacheCoherence.CACHE_NS) + 10);
        sent.clear();
        AtomicBoolean done = new AtomicBoolean();
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> done.set(true));
        assertThat(sent).extracting(Sent::peer).as("still told, in case it is back").containsExactly(41, 61);
        sent.get(0).answer(true);
        assertThat(done).isTrue();
        sent.get(1).answer(true);
        sent.clear();
        done.set(false);
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> done.set(true));
        sent.get(0).answer(true);
        assertThat(done).as("back: waited for again").isFalse();
        sent.get(1).answer(true);
        assertThat(done).isTrue();
    }

    @Test
    void aPeerWithoutAMountOfTheFilesystemIsNotToldForAWhile() {
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> { });
        sent.get(0).answer(false);
        sent.get(1).answer(true);
        sent.clear();
        clock.advance(CacheCoherence.QUIET_NS - 1, TimeUnit.NANOSECONDS);
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> { });
        assertThat(sent).extracting(Sent::peer).containsExactly(61);
        sent.get(0).answer(true);
        sent.clear();
        clock.advance(1, TimeUnit.NANOSECONDS);
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> { });
        assertThat(sent).extracting(Sent::peer).as("asked again: it may have mounted it since").containsExactly(41, 61);
    }

    @Test
    void answersToRequestsThatLeftBeforeAChangeAreNotCached() {
        mounted(1);
        settle();
        CacheCoherence.Asked asked = coherence.asked();
        coherence.changed(FS, 1, new long[] {DIR}, List.of(), () -> { });
        assertThat(coherence.attrTimeoutNanos(FS, DIR, asked)).isZero();
        assertThat(coherence.entryTimeoutNanos(FS, DIR, OTHER_DIR, asked)).as("a name in the changed directory").isZero();
        assertThat(coherence.attrTimeoutNanos(FS, OTHER_DIR, asked)).as("another directory").isEqualTo(CacheCoherence.CACHE_NS);
        assertThat(coherence.attrTimeoutNanos(FS, DIR, coherence.asked())).as("asked after the change")
                .isEqualTo(CacheCoherence.CACHE_NS);
        CacheCoherence.Asked before = coherence.asked();
        coherence.onNotice(FrontendFrames.encode(new FrontendFrames.InodesChanged(FS, new long[] {OTHER_DIR}, List.of())), seen -> { });
        assertThat(coherence.attrTimeoutNanos(FS, OTHER_DIR, before)).as("changed through another frontend").isZero();
    }

    @Test
    void namesAreDroppedFromEveryMountButTheOneThatMadeTheChange() {
        FakeKernel origin = mounted(1);
        FakeKernel other = mounted(2);
        Name moved = new Name(DIR, "old");
        AtomicBoolean done = new AtomicBoolean();
        coherence.changed(FS, 1, new long[] {DIR, OTHER_DIR}, List.of(moved, new Name(OTHER_DIR, "new")), () -> done.set(true));
        assertThat(origin.droppedAttributes).containsExactly(DIR, OTHER_DIR);
        assertThat(other.droppedAttributes).containsExactly(DIR, OTHER_DIR);
        assertThat(origin.droppedNames).as("its kernel moved the name itself, and holds the directory's lock").isEmpty();
        assertThat(other.droppedNames).containsExactly(moved, new Name(OTHER_DIR, "new"));
        assertThat(sent.get(0).change().names()).containsExactly(moved, new Name(OTHER_DIR, "new"));
        sent.forEach(s -> s.answer(true));
        assertThat(done).isTrue();
    }

    @Test
    void aNoticeIsAnsweredAfterItsDropsSayingWhetherTheFilesystemIsMountedHere() {
        FakeKernel kernel = mounted(1);
        List<Boolean> answers = new ArrayList<>();
        ByteBuffer notice = FrontendFrames.encode(new FrontendFrames.InodesChanged(FS, new long[] {DIR}, List.of(new Name(DIR, "d"))));
        coherence.onNotice(notice, seen -> {
            assertThat(kernel.droppedAttributes).containsExactly(DIR);
            assertThat(kernel.droppedNames).containsExactly(new Name(DIR, "d"));
            answers.add(FrontendFrames.servesFilesystem(seen));
        });
        coherence.onNotice(FrontendFrames.encode(new FrontendFrames.InodesChanged(FS + 1, new long[] {DIR}, List.of())),
                seen -> answers.add(FrontendFrames.servesFilesystem(seen)));
        assertThat(answers).containsExactly(true, false);
    }

    @Test
    void afterAResumeNoticesAreAnsweredOnlyOnceWhatThePreviousProcessHandedOutExpired() {
        coherence.resumed();
        mounted(1);
        List<ByteBuffer> answers = new ArrayList<>();
        coherence.onNotice(FrontendFrames.encode(new FrontendFrames.InodesChanged(FS, new long[] {DIR}, List.of())), answers::add);
        assertThat(answers).isEmpty();
        advanceMs(TimeUnit.NANOSECONDS.toMillis(CacheCoherence.CACHE_NS) - 5);
        assertThat(answers).isEmpty();
        advanceMs(10);
        assertThat(answers).hasSize(1);
    }
}
