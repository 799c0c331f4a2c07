package io.strata.fuse;

/**
 * What INIT settled between the kernel and this layer. It is sent along with the /dev/fuse
 * descriptor in a handover, because the kernel negotiates only once per mount.
 *
 * @param kernelFlags the INIT flags the kernel offered (flags | flags2 &lt;&lt; 32)
 * @param flags the INIT flags in force: those this layer asked for that the kernel offered
 */
public record SessionParameters(
        int protocolMajor,
        int protocolMinor,
        long kernelFlags,
        long flags,
        int maxWriteBytes,
        int maxReadaheadBytes,
        int maxPages,
        int maxBackground,
        int congestionThreshold,
        int timeGranularityNanos) {

    public boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** The smallest request buffer the kernel accepts for a read of /dev/fuse. */
    public int requestBufferBytes() {
        return Math.max(8192, maxWriteBytes + 4096);
    }
}
