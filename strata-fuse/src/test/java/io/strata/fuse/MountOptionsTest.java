package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.StrataException;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void buildsTheMountData() {
        assertThat(MountOptions.defaults().mountData(7, 0, 0))
                .isEqualTo("fd=7,rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other");
        assertThat(MountOptions.defaults().withDefaultPermissions(false).mountData(9, 1000, 100))
                .isEqualTo("fd=9,rootmode=40000,user_id=1000,group_id=100,allow_other");
    }

    @Test
    void refusesWhatCannotWorkWithOneLineNamingTheValue() {
        assertThatThrownBy(() -> MountOptions.defaults().withMaxWriteBytes(3000)).isInstanceOf(StrataException.class)
                .hasMessage("max write 3000 bytes must be a multiple of 4096 in 4096..1048576");
        assertThatThrownBy(() -> MountOptions.defaults().withQueues(0)).isInstanceOf(StrataException.class)
                .hasMessage("queues 0 is outside 1..256");
        assertThatThrownBy(() -> MountOptions.defaults().withQueues(4).withRequestBuffers(2))
                .isInstanceOf(StrataException.class)
                .hasMessage("request buffers 2 must be at least the 4 queues and at most 4096");
        assertThatThrownBy(() -> MountOptions.defaults().withFsName("a,b")).isInstanceOf(StrataException.class)
                .hasMessage("fs name 'a,b' must be non-empty, without commas or spaces");
    }

    @Test
    void requestBuffersHoldTheLargestWrite() {
        assertThat(MountOptions.defaults().requestBufferBytes()).isEqualTo((1 << 20) + 4096);
        assertThat(MountOptions.defaults().withQueues(64).requestBuffers()).isEqualTo(64);
    }
}
