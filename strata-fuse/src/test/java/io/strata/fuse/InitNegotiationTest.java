package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class InitNegotiationTest {
    private static Wire.InitIn kernelInit() {
        byte[] init = Fixtures.hex(Fixtures.KERNEL_INIT_HEX);
        return Wire.decodeInit(MemorySegment.ofArray(init), init.length - Wire.IN_HEADER_SIZE);
    }

    @Test
    void asksForLargeRequestsAndNeverForTheWritebackCache() {
        SessionParameters p = InitNegotiation.negotiate(kernelInit(), MountOptions.defaults());
        assertThat(p.protocolMinor()).isEqualTo(45);
        assertThat(p.maxWriteBytes()).isEqualTo(1 << 20);
        assertThat(p.maxPages()).isEqualTo(256);
        assertThat(p.maxReadaheadBytes()).as("no more than the kernel offered").isEqualTo(128 * 1024);
        for (long flag : new long[] {FuseProtocol.FUSE_ASYNC_READ, FuseProtocol.FUSE_BIG_WRITES,
            FuseProtocol.FUSE_MAX_PAGES, FuseProtocol.FUSE_ATOMIC_O_TRUNC, FuseProtocol.FUSE_PARALLEL_DIROPS,
            FuseProtocol.FUSE_ASYNC_DIO, FuseProtocol.FUSE_DO_READDIRPLUS, FuseProtocol.FUSE_READDIRPLUS_AUTO,
            FuseProtocol.FUSE_INIT_EXT, FuseProtocol.FUSE_DIRECT_IO_ALLOW_MMAP}) {
            assertThat(p.has(flag)).as("flag %x", flag).isTrue();
        }
        for (long flag : new long[] {FuseProtocol.FUSE_WRITEBACK_CACHE, FuseProtocol.FUSE_POSIX_LOCKS,
            FuseProtocol.FUSE_FLOCK_LOCKS, FuseProtocol.FUSE_HANDLE_KILLPRIV, FuseProtocol.FUSE_SETXATTR_EXT,
            FuseProtocol.FUSE_SECURITY_CTX, FuseProtocol.FUSE_POSIX_ACL, FuseProtocol.FUSE_DONT_MASK}) {
            assertThat(p.has(flag)).as("flag %x", flag).isFalse();
        }
        assertThat(p.flags() & ~p.kernelFlags()).as("nothing the kernel did not offer").isZero();
    }

    @Test
    void readdirPlusFollowsTheOption() {
        SessionParameters never = InitNegotiation.negotiate(kernelInit(),
                MountOptions.defaults().withReaddirPlus(MountOptions.ReaddirPlus.NEVER));
        SessionParameters always = InitNegotiation.negotiate(kernelInit(),
                MountOptions.defaults().withReaddirPlus(MountOptions.ReaddirPlus.ALWAYS));
        assertThat(never.has(FuseProtocol.FUSE_DO_READDIRPLUS)).isFalse();
        assertThat(always.has(FuseProtocol.FUSE_DO_READDIRPLUS)).isTrue();
        assertThat(always.has(FuseProtocol.FUSE_READDIRPLUS_AUTO)).isFalse();
    }

    @Test
    void refusesKernelsTooOldForMaxPages() {
        Wire.InitIn old = new Wire.InitIn(7, 26, 131072, 0xffffffffL);
        assertThatThrownBy(() -> InitNegotiation.negotiate(old, MountOptions.defaults()))
                .isInstanceOf(StrataException.class).hasMessage("kernel FUSE protocol 7.26 is not supported (need 7.28 or newer)");
    }

    @Test
    void usesTheKernelsMinorWhenOlderThanOurs() {
        Wire.InitIn older = new Wire.InitIn(7, 31, 131072, 0xffffffffL);
        assertThat(InitNegotiation.negotiate(older, MountOptions.defaults()).protocolMinor()).isEqualTo(31);
    }

    @Test
    void parametersSurviveTheirJsonTripInAHandover() {
        SessionParameters p = InitNegotiation.negotiate(kernelInit(), MountOptions.defaults());
        HandoverState state = new HandoverState("/mnt/strata", "strata", p);
        assertThat(Json.fromBytes(Json.toBytes(state), HandoverState.class)).isEqualTo(state);
    }
}
