package io.strata.frontend.wire;

import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames frontend processes send each other:
 *
 * <pre>
 * INODES_CHANGED  fsId:i32 inoCount:u16 nameCount:u16 | ino:i64 * inoCount | (parent:i64 length:u16 UTF-8 name) * nameCount
 *                 the inodes' attributes or contents changed, and the names (of directories) no longer lead where they
 *                 did: drop them from every cache
 * CHANGE_SEEN     serves:u8   answered once every mount of this process has dropped them;
 *                             serves 0: this process has no mount of the filesystem
 * </pre>
 */
public final class FrontendFrames {
    public static final short INODES_CHANGED = 50;
    public static final short CHANGE_SEEN = 51;
    /** More than one operation changes (a rename changes two directories and two names). */
    public static final int MAX_ITEMS = 64;
    /** Longer than any name a Strata directory holds. */
    public static final int MAX_NAME_BYTES = 1024;
    private static final int HEADER_BYTES = 8;

    private FrontendFrames() {
    }

    /** A name in a directory. */
    public record Name(long parent, String name) {
        public Name {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("a name of " + bytes + " bytes (1 to " + MAX_NAME_BYTES + ")");
            }
        }
    }

    /** Inodes of one filesystem whose attributes or contents changed, and names of directories that were removed or replaced. */
    public record InodesChanged(int fsId, long[] inos, List<Name> names) {
        public InodesChanged {
            if (inos.length + names.size() == 0 || inos.length > MAX_ITEMS || names.size() > MAX_ITEMS) {
                throw new IllegalArgumentException("a change names 1 to " + MAX_ITEMS + " inodes and up to " + MAX_ITEMS
                        + " names, not " + inos.length + " and " + names.size());
            }
            inos = inos.clone();
            names = List.copyOf(names);
        }

        @Override
        public long[] inos() {
            return inos.clone();
        }
    }

    public static ByteBuffer changeSeen(boolean servesFilesystem) {
        return ByteBuffer.allocate(1).put(0, (byte) (servesFilesystem ? 1 : 0));
    }

    /** Whether the answering process serves the filesystem; anything but a clear 0 counts as yes. */
    public static boolean servesFilesystem(ByteBuffer changeSeen) {
        return changeSeen.remaining() != 1 || changeSeen.get(changeSeen.position()) != 0;
    }

    public static ByteBuffer encode(InodesChanged change) {
        long[] inos = change.inos();
        List<byte[]> names = change.names().stream().map(n -> n.name().getBytes(StandardCharsets.UTF_8)).toList();
        int size = HEADER_BYTES + 8 * inos.length + names.stream().mapToInt(b -> 10 + b.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(Frame.ORDER);
        out.putInt(change.fsId()).putShort((short) inos.length).putShort((short) names.size());
        for (long ino : inos) {
            out.putLong(ino);
        }
        for (int i = 0; i < names.size(); i++) {
            out.putLong(change.names().get(i).parent()).putShort((short) names.get(i).length).put(names.get(i));
        }
        return out.flip();
    }

    /** Reads a INODES_CHANGED payload; anything but exactly one well-formed change is a protocol error. */
    public static InodesChanged decode(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(Frame.ORDER);
        if (in.remaining() < HEADER_BYTES) {
            throw new ProtocolException("an inodes-changed frame of " + in.remaining() + " bytes is shorter than its header");
        }
        int fsId = in.getInt();
        int dirCount = Short.toUnsignedInt(in.getShort());
        int nameCount = Short.toUnsignedInt(in.getShort());
        if (dirCount + nameCount == 0 || dirCount > MAX_ITEMS || nameCount > MAX_ITEMS) {
            throw new ProtocolException("an inodes-changed frame names " + dirCount + " inodes and " + nameCount
                    + " names (1 to " + MAX_ITEMS + " in all, at most " + MAX_ITEMS + " of each)");
        }
        if (in.remaining() < 8L * dirCount) {
            throw new ProtocolException("an inodes-changed frame of " + dirCount + " inodes ends after " + in.remaining()
                    + " bytes of inode numbers");
        }
        long[] inos = new long[dirCount];
        for (int i = 0; i < dirCount; i++) {
            inos[i] = in.getLong();
        }
        List<Name> names = new ArrayList<>(nameCount);
        for (int i = 0; i < nameCount; i++) {
            if (in.remaining() < 10) {
                throw new ProtocolException("an inodes-changed frame ends inside name " + (i + 1) + " of " + nameCount);
            }
            long parent = in.getLong();
            int length = Short.toUnsignedInt(in.getShort());
            if (length == 0 || length > MAX_NAME_BYTES || length > in.remaining()) {
                throw new ProtocolException("an inodes-changed frame has a name of " + length + " bytes with " + in.remaining()
                        + " left (1 to " + MAX_NAME_BYTES + ")");
            }
            ByteBuffer bytes = in.slice(in.position(), length);
            in.position(in.position() + length);
            try {
                names.add(new Name(parent, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString()));
            } catch (CharacterCodingException e) {
                throw new ProtocolException("an inodes-changed frame has a name that is not UTF-8");
            }
        }
        if (in.hasRemaining()) {
            throw new ProtocolException("an inodes-changed frame has " + in.remaining() + " bytes after its last name");
        }
        return new InodesChanged(fsId, inos, names);
    }
}
