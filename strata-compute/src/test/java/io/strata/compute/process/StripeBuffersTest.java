package io.strata.compute.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class StripeBuffersTest {
    @Test
    void aReleasedBufferIsHandedOutAgainForTheSameSize() {
        StripeBuffers buffers = new StripeBuffers(1 << 20);
        MemorySegment first = buffers.acquire(6 * 4096);
        assertThat(first.byteSize()).isEqualTo(6 * 4096);
        assertThat(first.address() % 4096).isZero();
        buffers.release(first);
        assertThat(buffers.pooledBytes()).isEqualTo(6 * 4096);

        MemorySegment other = buffers.acquire(12 * 4096);
        assertThat(other.address()).isNotEqualTo(first.address());
        assertThat(buffers.acquire(6 * 4096).address()).isEqualTo(first.address());
        assertThat(buffers.pooledBytes()).isZero();
    }

    @Test
    void buffersBeyondTheBoundAreLeftToTheCollector() {
        StripeBuffers buffers = new StripeBuffers(8 * 4096);
        MemorySegment a = buffers.acquire(6 * 4096);
        MemorySegment b = buffers.acquire(6 * 4096);
        buffers.release(a);
        buffers.release(b);
        assertThat(buffers.pooledBytes()).isEqualTo(6 * 4096);
        assertThat(buffers.acquire(6 * 4096).address()).isEqualTo(a.address());
        assertThat(buffers.acquire(6 * 4096).address()).isNotEqualTo(b.address()).isNotEqualTo(a.address());
    }
}
