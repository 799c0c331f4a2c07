package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cli.sandbox.SandboxState;
import io.strata.resources.ByteSizes;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bench's refusals: each one line that says what to do. */
class BenchPreflightTest {
    private static final BenchOptions ALL = BenchOptions.of(List.of("raw", "fuse", "strata", "strata3"), "glusterfs",
            BenchJobs.selectable(), "1GiB", 15, 0, 8, 3, "4KiB", "127.0.8", "shared");

    @Test
    void withoutFioTheBenchNamesThePackage() {
        assertThatThrownBy(() -> BenchPreflight.requireFio(Optional.empty())).isInstanceOf(StrataException.class)
                .hasMessage("fio is not installed: the bench runs its jobs with fio (Debian package 'fio': apt-get install fio)");
        assertThat(BenchPreflight.requireFio(Optional.of(Path.of("/usr/bin/fio")))).isEqualTo(Path.of("/usr/bin/fio"));
    }

    @Test
    void aRunningSandboxIsRefusedAStoppedOneIsNot() {
        SandboxState state = new SandboxState("multi", "0.1.0", 0, List.of(new SandboxState.Server("server1", "127.0.1.1", "/r", 1)),
                "c", "/m");
        assertThatThrownBy(() -> BenchPreflight.refuseRunningSandbox(Optional.of(state), true))
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("a sandbox of 1 servers is running (started 1970-01-01T00:00:00Z): the bench starts its own and "
                        + "measures an idle machine; stop it first with 'strata sandbox down'");
        assertThatCode(() -> BenchPreflight.refuseRunningSandbox(Optional.of(state), false)).doesNotThrowAnyException();
        assertThatCode(() -> BenchPreflight.refuseRunningSandbox(Optional.empty(), false)).doesNotThrowAnyException();
    }

    @Test
    void tooLittleSpaceIsRefusedWithWhatIsNeeded() {
        long needed = ALL.neededBytes();
        assertThat(needed).isEqualTo(24 * ByteSizes.GIB);
        assertThatThrownBy(() -> BenchPreflight.requireSpace(ALL, needed - ByteSizes.GIB, Path.of("/work/.strata/bench")))
                .hasMessage("not enough free space at /work/.strata/bench: the bench needs 24.0 GiB (its 1.0 GiB fio file on each "
                        + "target, with 4+2 parity on the sandbox and the peer, and 20.0 GiB for the sandbox) and only 23.0 GiB is "
                        + "free; try a smaller --size");
        assertThatCode(() -> BenchPreflight.requireSpace(ALL, needed, Path.of("/x"))).doesNotThrowAnyException();
        assertThat(needed).isGreaterThanOrEqualTo(3 * ALL.sizeBytes() + 20 * ByteSizes.GIB);
    }

    @Test
    void mountingNeedsRootTheRawDiskDoesNot() {
        assertThatThrownBy(() -> BenchPreflight.requireRoot(ALL, 1000))
                .hasMessageStartingWith("the bench mounts FUSE file systems (targets raw,fuse,strata,strata3,glusterfs) and needs root");
        BenchOptions raw = BenchOptions.of(List.of("raw"), null, BenchJobs.selectable(), "1GiB", 15, 0, 8, 3, "4KiB", "127.0.8", "shared");
        assertThatCode(() -> BenchPreflight.requireRoot(raw, 1000)).doesNotThrowAnyException();
        assertThatCode(() -> BenchPreflight.requireRoot(ALL, 0)).doesNotThrowAnyException();
    }

    @Test
    void aSubnetSomethingElseListensInIsRefused() {
        assertThatThrownBy(() -> BenchPreflight.requireFreeSubnet("127.0.8", Optional.of("127.0.8.2:13900")))
                .hasMessage("127.0.8.2:13900 already answers (a sandbox of another clone?): the bench's sandbox needs the subnet "
                        + "127.0.8 to itself; choose another with --subnet");
        assertThatCode(() -> BenchPreflight.requireFreeSubnet("127.0.8", Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void theStrataTargetsNeedTheDistribution() {
        assertThatThrownBy(() -> BenchPreflight.requireDistribution(null))
                .hasMessage("STRATA_DIST is not set: the strata targets start a sandbox; run the bench with ./strata bench");
        assertThat(BenchPreflight.requireDistribution("/d")).isEqualTo("/d");
    }

    @Test
    void theGlusterPeerSaysWhyItCannotRun() {
        assertThat(GlusterPeer.unavailable(List.of(Path.of("/usr/sbin/glusterd")), Optional.empty(), false)).contains(
                "--peer glusterfs needs GlusterFS, and /usr/sbin/glusterd is missing: install the Debian packages glusterfs-server "
                        + "and glusterfs-client (apt-get install glusterfs-server)");
        assertThat(GlusterPeer.unavailable(List.of(), Optional.of(42L), false)).contains("--peer glusterfs: glusterd is already "
                + "running (pid 42); the bench starts and stops its own, so stop that one first");
        assertThat(GlusterPeer.unavailable(List.of(), Optional.empty(), true).orElseThrow())
                .startsWith("--peer glusterfs: a volume strata-bench is left in /var/lib/glusterd/vols");
        assertThat(GlusterPeer.unavailable(List.of(), Optional.empty(), false)).isEmpty();
        assertThatThrownBy(() -> BenchPreflight.requirePeer(Optional.of("why"))).hasMessage("why");
    }
}
