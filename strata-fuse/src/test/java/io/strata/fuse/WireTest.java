package io.strata.fuse;

import static io.strata.fuse.Fixtures.hex;
import static io.strata.fuse.Fixtures.le;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Struct layouts against fixtures: requests captured from the kernel, and replies laid out field by
 * field in the order of include/uapi/linux/fuse.h (an encoding independent of Wire's offsets).
 */
class WireTest {
    private static final Attributes ATTR = new Attributes(0x1122334455667788L, 5_000_000_000L, 9_765_625L,
            1_700_000_001L, 111, 1_700_000_002L, 222, 1_700_000_003L, 333, 0100644, 3, 1000, 100, 0x0801, 4096);

    /** struct fuse_attr in header order. */
    private static void putAttr(ByteBuffer b, Attributes a) {
        b.putLong(a.ino()).putLong(a.size()).putLong(a.blocks())
                .putLong(a.atimeSeconds()).putLong(a.mtimeSeconds()).putLong(a.ctimeSeconds())
                .putInt(a.atimeNanos()).putInt(a.mtimeNanos()).putInt(a.ctimeNanos())
                .putInt(a.mode()).putInt(a.nlink()).putInt(a.uid()).putInt(a.gid()).putInt(a.rdev())
                .putInt(a.blockSizeBytes()).putInt(0);
    }

    private static byte[] bytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void decodesTheKernelsInit() {
        byte[] init = hex(Fixtures.KERNEL_INIT_HEX);
        assertThat(init).hasSize(Wire.IN_HEADER_SIZE + Wire.INIT_IN_SIZE);
        MemorySegment b = MemorySegment.ofArray(init);
        assertThat(Wire.inLength(b)).isEqualTo(104);
        assertThat(Wire.inOpcode(b)).isEqualTo(Wire.INIT);
        assertThat(Wire.inUnique(b)).isEqualTo(2);
        Wire.InitIn in = Wire.decodeInit(b, init.length - Wire.IN_HEADER_SIZE);
        assertThat(in.major()).isEqualTo(7);
        assertThat(in.minor()).isEqualTo(45);
        assertThat(in.maxReadahead()).isEqualTo(128 * 1024);
        assertThat(in.flags() & 0xffffffffL).isEqualTo(0x73fffffbL);
        assertThat(in.flags() >>> 32).as("flags2, present because INIT_EXT is set").isEqualTo(0x5fdL);
        assertThat(in.flags() & FuseProtocol.FUSE_MAX_PAGES).isNotZero();
    }

    @Test
    void decodesTheKernelsGetattrHeader() {
        byte[] getattr = hex(Fixtures.KERNEL_GETATTR_HEX);
        assertThat(getattr).hasSize(Wire.IN_HEADER_SIZE + Wire.GETATTR_IN_SIZE);
        MemorySegment b = MemorySegment.ofArray(getattr);
        assertThat(Wire.inLength(b)).isEqualTo(56);
        assertThat(Wire.inOpcode(b)).isEqualTo(Wire.GETATTR);
        assertThat(Wire.inUnique(b)).isEqualTo(4);
        assertThat(Wire.inNodeId(b)).isEqualTo(FuseProtocol.ROOT_ID);
        assertThat(Wire.inUid(b)).isZero();
        assertThat(Wire.inPid(b)).isEqualTo(0x3b1b);
        assertThat(Wire.inExtensionLength(b)).isZero();
    }

    @Test
    void encodesInitOutInHeaderOrder() {
        SessionParameters p = new SessionParameters(7, 45, -1L, 0x0000_0005_8040_0021L, 1 << 20, 131072, 256, 32, 24, 1);
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        int length = Wire.encodeInitOut(b, 2, p);
        ByteBuffer expected = ByteBuffer.allocate(16 + 64).order(ByteOrder.LITTLE_ENDIAN);
        expected.putInt(80).putInt(0).putLong(2);
        expected.putInt(7).putInt(45).putInt(131072).putInt(0x8040_0021)
                .putShort((short) 32).putShort((short) 24).putInt(1 << 20).putInt(1)
                .putShort((short) 256).putShort((short) 0).putInt(5);
        assertThat(length).isEqualTo(80);
        assertThat(bytes(b, 0, length)).isEqualTo(expected.array());
    }

    @Test
    void encodesEntryOutInHeaderOrder() {
        Entry entry = new Entry(42, 7, ATTR, 1_500_000_000L, 250_000_000L);
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        Wire.putEntry(b, 16, entry);
        ByteBuffer expected = ByteBuffer.allocate(Wire.ENTRY_OUT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(42).putLong(7).putLong(1).putLong(0).putInt(500_000_000).putInt(250_000_000);
        putAttr(expected, ATTR);
        assertThat(expected.position()).isEqualTo(128);
        assertThat(bytes(b, 16, Wire.ENTRY_OUT_SIZE)).isEqualTo(expected.array());
    }

    @Test
    void encodesAttrOutOpenOutAndStatfsInHeaderOrder() {
        MemorySegment b = MemorySegment.ofArray(new byte[256]);
        Wire.putAttrOut(b, 0, ATTR, 2_000_000_001L);
        ByteBuffer attrOut = ByteBuffer.allocate(Wire.ATTR_OUT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        attrOut.putLong(2).putInt(1).putInt(0);
        putAttr(attrOut, ATTR);
        assertThat(bytes(b, 0, Wire.ATTR_OUT_SIZE)).isEqualTo(attrOut.array());

        Wire.putOpenOut(b, 0, 0xabcdefL, FuseProtocol.FOPEN_DIRECT_IO | FuseProtocol.FOPEN_NONSEEKABLE);
        ByteBuffer openOut = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0xabcdefL).putInt(5).putInt(0);
        assertThat(bytes(b, 0, 16)).isEqualTo(openOut.array());

        Wire.putStatfs(b, 0, new FsStats(100, 60, 50, 1000, 900, 4096, 255, 4096));
        ByteBuffer statfs = ByteBuffer.allocate(Wire.STATFS_OUT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        statfs.putLong(100).putLong(60).putLong(50).putLong(1000).putLong(900).putInt(4096).putInt(255).putInt(4096);
        assertThat(bytes(b, 0, Wire.STATFS_OUT_SIZE)).isEqualTo(statfs.array());
    }

    @Test
    void decodesSetattrInHeaderOrder() {
        ByteBuffer in = ByteBuffer.allocate(Wire.IN_HEADER_SIZE + Wire.SETATTR_IN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        in.position(Wire.IN_HEADER_SIZE);
        int valid = AttributeChanges.FATTR_MODE | AttributeChanges.FATTR_SIZE | AttributeChanges.FATTR_ATIME
                | AttributeChanges.FATTR_ATIME_NOW | AttributeChanges.FATTR_MTIME | AttributeChanges.FATTR_UID;
        in.putInt(valid).putInt(0).putLong(77).putLong(5L << 32).putLong(0)
                .putLong(11).putLong(12).putLong(13).putInt(21).putInt(22).putInt(23)
                .putInt(0100600).putInt(0).putInt(1234).putInt(5678).putInt(0);
        assertThat(in.position()).isEqualTo(Wire.IN_HEADER_SIZE + 88);
        AttributeChanges c = Wire.decodeSetattr(MemorySegment.ofArray(in.array()));
        assertThat(c.fileHandle()).isEqualTo(77);
        assertThat(c.size()).isEqualTo(5L << 32);
        assertThat(c.atimeSeconds()).isEqualTo(11);
        assertThat(c.mtimeSeconds()).isEqualTo(12);
        assertThat(c.ctimeSeconds()).isEqualTo(13);
        assertThat(c.atimeNanos()).isEqualTo(21);
        assertThat(c.mtimeNanos()).isEqualTo(22);
        assertThat(c.ctimeNanos()).isEqualTo(23);
        assertThat(c.mode()).isEqualTo(0100600);
        assertThat(c.uid()).isEqualTo(1234);
        assertThat(c.gid()).isEqualTo(5678);
        assertThat(c.changesMode()).isTrue();
        assertThat(c.changesSize()).isTrue();
        assertThat(c.changesAtime()).isTrue();
        assertThat(c.atimeNow()).isTrue();
        assertThat(c.changesMtime()).isTrue();
        assertThat(c.mtimeNow()).isFalse();
        assertThat(c.changesUid()).isTrue();
        assertThat(c.changesGid()).isFalse();
        assertThat(c.changesCtime()).isFalse();
    }

    @Test
    void decodesReadReleaseFallocateAndLseekInHeaderOrder() {
        ByteBuffer read = ByteBuffer.allocate(Wire.IN_HEADER_SIZE + Wire.READ_IN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        read.position(Wire.IN_HEADER_SIZE);
        read.putLong(9).putLong(1L << 33).putInt(65536).putInt(2).putLong(99).putInt(02002).putInt(0);
        Wire.ReadIn r = Wire.decodeRead(MemorySegment.ofArray(read.array()));
        assertThat(r).isEqualTo(new Wire.ReadIn(9, 1L << 33, 65536, 2, 99, 02002));

        ByteBuffer release = ByteBuffer.allocate(Wire.IN_HEADER_SIZE + Wire.RELEASE_IN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        release.position(Wire.IN_HEADER_SIZE);
        release.putLong(5).putInt(2).putInt(1).putLong(8);
        assertThat(Wire.decodeRelease(MemorySegment.ofArray(release.array()))).isEqualTo(new Wire.ReleaseIn(5, 2, 1, 8));

        ByteBuffer falloc = ByteBuffer.allocate(Wire.IN_HEADER_SIZE + Wire.FALLOCATE_IN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        falloc.position(Wire.IN_HEADER_SIZE);
        falloc.putLong(3).putLong(4096).putLong(8192).putInt(3).putInt(0);
        assertThat(Wire.decodeFallocate(MemorySegment.ofArray(falloc.array())))
                .isEqualTo(new Wire.FallocateIn(3, 4096, 8192, 3));

        ByteBuffer lseek = ByteBuffer.allocate(Wire.IN_HEADER_SIZE + Wire.LSEEK_IN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        lseek.position(Wire.IN_HEADER_SIZE);
        lseek.putLong(6).putLong(100).putInt(FuseProtocol.SEEK_HOLE).putInt(0);
        assertThat(Wire.decodeLseek(MemorySegment.ofArray(lseek.array())))
                .isEqualTo(new Wire.LseekIn(6, 100, FuseProtocol.SEEK_HOLE));
    }

    @Test
    void padsDirentsToEightBytes() {
        MemorySegment b = MemorySegment.ofArray(new byte[512]);
        b.fill((byte) 0x55);
        int size = Wire.putDirent(b, 0, 12, 3, FuseProtocol.directoryEntryType(0100644), "abc".getBytes(StandardCharsets.UTF_8));
        ByteBuffer expected = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(12).putLong(3).putInt(3).putInt(8).put("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(size).isEqualTo(32);
        assertThat(bytes(b, 0, 32)).isEqualTo(expected.array());
        assertThat(Wire.direntSize(8)).isEqualTo(32);
        assertThat(Wire.direntSize(9)).isEqualTo(40);
        assertThat(Wire.direntPlusSize(3)).isEqualTo(160);
        assertThat(Wire.direntPlusSize(8)).isEqualTo(160);
    }

    @Test
    void laysOutDirentPlusAsEntryThenDirent() {
        MemorySegment b = MemorySegment.ofArray(new byte[512]);
        Entry entry = new Entry(42, 0, ATTR, 1_000_000_000L, 1_000_000_000L);
        int size = Wire.putDirentPlus(b, 0, entry, 17, "name".getBytes(StandardCharsets.UTF_8));
        assertThat(size).isEqualTo(160);
        ByteBuffer read = le(bytes(b, 0, size));
        assertThat(read.getLong(0)).isEqualTo(42);
        assertThat(read.getLong(128)).as("dirent ino = attr ino").isEqualTo(ATTR.ino());
        assertThat(read.getLong(136)).as("next offset").isEqualTo(17);
        assertThat(read.getInt(144)).as("name length").isEqualTo(4);
        assertThat(read.getInt(148)).as("DT_REG").isEqualTo(8);
    }

    @Test
    void findsStringsUpToTheirNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = Fixtures.copyInto(arena, "old\0new\0".getBytes(StandardCharsets.UTF_8), 16);
            assertThat(Wire.string(b, 0, 8)).isEqualTo("old");
            assertThat(Wire.afterString(b, 0, 8)).isEqualTo(4);
            assertThat(Wire.string(b, 4, 8)).isEqualTo("new");
        }
    }
}
