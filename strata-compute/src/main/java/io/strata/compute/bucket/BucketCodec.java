package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.CapacityGranted;
import io.strata.compute.bucket.BucketCommand.CapacityReturned;
import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.CreateRoot;
import io.strata.compute.bucket.BucketCommand.DeleteFilesystem;
import io.strata.compute.bucket.BucketCommand.DropLingering;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Opened;
import io.strata.compute.bucket.BucketCommand.RegionsLeased;
import io.strata.compute.bucket.BucketCommand.ReleaseAllOfMount;
import io.strata.compute.bucket.BucketCommand.Released;
import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.SetAttr;
import io.strata.compute.bucket.BucketCommand.ShardsRepaired;
import io.strata.compute.bucket.BucketCommand.TxAbort;
import io.strata.compute.bucket.BucketCommand.TxBegin;
import io.strata.compute.bucket.BucketCommand.TxCommit;
import io.strata.compute.bucket.BucketCommand.TxDecided;
import io.strata.compute.bucket.BucketCommand.TxFinished;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import io.strata.compute.bucket.BucketCommand.Unlink;
import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of commands (for the Raft log) and of their results (for the wire): a
 * format byte, a tag byte, then the fields as variable-length integers and length-prefixed UTF-8.
 * Decoding malformed bytes throws IllegalArgumentException. A later release that changes a
 * command adds a tag or a format; it keeps reading this one.
 */
public final class BucketCodec {
    public static final int FORMAT = 1;

    private BucketCodec() {
    }

    public static byte[] encode(BucketCommand command) {
        BinaryOut out = new BinaryOut(64);
        out.writeByte(FORMAT);
        CommandWriter.write(out, command);
        return out.toByteArray();
    }

    public static BucketCommand decodeCommand(byte[] bytes) {
        BinaryIn in = new BinaryIn(bytes);
        checkFormat(in);
        BucketCommand command = CommandReader.read(in);
        checkEnd(in);
        return command;
    }

    public static byte[] encodeResult(CommandResult result) {
        BinaryOut out = new BinaryOut(32);
        out.writeByte(FORMAT);
        writeResult(out, result);
        return out.toByteArray();
    }

    public static CommandResult decodeResult(byte[] bytes) {
        BinaryIn in = new BinaryIn(bytes);
        checkFormat(in);
        CommandResult result = readResult(in);
        checkEnd(in);
        return result;
    }

    private static void checkFormat(BinaryIn in) {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("bucket command format " + format + " is not " + FORMAT);
        }
    }

    private static void checkEnd(BinaryIn in) {
        if (!in.atEnd()) {
            throw new IllegalArgumentException("bytes left after the command at " + in.position());
        }
    }

    // ------------------------------------------------------------ shared parts

    static void writeOrigin(BinaryOut out, RequestOrigin origin) {
        out.writeUnsigned(origin.mountId());
        out.writeLong(origin.requestId());
    }

    static RequestOrigin readOrigin(BinaryIn in) {
        return new RequestOrigin((int) in.readUnsigned(), in.readLong());
    }

    static void writeType(BinaryOut out, FileType type) {
        out.writeByte(type == null ? 0xFF : type.ordinal());
    }

    static FileType readType(BinaryIn in) {
        int code = in.readByte();
        return code == 0xFF ? null : FileType.fromCode(code);
    }

    static void writeAttributes(BinaryOut out, Attributes a) {
        out.writeBoolean(a != null);
        if (a == null) {
            return;
        }
        out.writeId(a.ino());
        out.writeInt(a.fsId());
        writeType(out, a.type());
        out.writeInt(a.mode());
        out.writeInt(a.uid());
        out.writeInt(a.gid());
        out.writeLong(a.size());
        out.writeInt(a.nlink());
        out.writeLong(a.ctimeNs());
        out.writeLong(a.atimeNs() - a.ctimeNs());
        out.writeLong(a.mtimeNs() - a.ctimeNs());
        out.writeLong(a.rdev());
        out.writeId(a.parent());
        out.writeLong(a.generation());
        out.writeString(a.symlinkTarget());
    }

    static Attributes readAttributes(BinaryIn in) {
        if (!in.readBoolean()) {
            return null;
        }
        long ino = in.readId();
        int fsId = in.readInt();
        FileType type = readType(in);
        int mode = in.readInt();
        int uid = in.readInt();
        int gid = in.readInt();
        long size = in.readLong();
        int nlink = in.readInt();
        long ctime = in.readLong();
        long atime = ctime + in.readLong();
        long mtime = ctime + in.readLong();
        return new Attributes(ino, fsId, type, mode, uid, gid, size, nlink, atime, mtime, ctime, in.readLong(),
                in.readId(), in.readLong(), in.readString());
    }

    static void writeStripe(BinaryOut out, Stripe s) {
        out.writeId(s.extentId());
        out.writeInt(s.dataShards());
        out.writeInt(s.parityShards());
        out.writeInt(s.chunkBytes() / SpaceMap.BLOCK_BYTES);
        out.writeInt(s.storedData());
        out.writeLong(s.dataBytes());
        for (ChunkAddress chunk : s.shards()) {
            out.writeBoolean(chunk != null);
            if (chunk != null) {
                out.writeInt(chunk.drive());
                out.writeLong(chunk.address() >> 12);
                out.writeUnsigned(chunk.address() & 4095);
            }
        }
        out.writeLong(s.missing());
    }

    static Stripe readStripe(BinaryIn in) {
        long extentId = in.readId();
        int dataShards = in.readInt();
        int parityShards = in.readInt();
        int chunkBlocks = in.readInt();
        if (chunkBlocks <= 0 || chunkBlocks > Integer.MAX_VALUE / SpaceMap.BLOCK_BYTES) {
            throw new IllegalArgumentException("stripe chunk of " + chunkBlocks + " blocks");
        }
        int chunkBytes = chunkBlocks * SpaceMap.BLOCK_BYTES;
        int storedData = in.readInt();
        long dataBytes = in.readLong();
        int shardCount = dataShards + parityShards;
        if (dataShards < 0 || parityShards < 0 || shardCount < 0 || shardCount > 64) {
            throw new IllegalArgumentException("stripe of " + dataShards + "+" + parityShards + " shards");
        }
        List<ChunkAddress> shards = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) {
            if (in.readBoolean()) {
                int drive = in.readInt();
                long address = (in.readLong() << 12) | in.readUnsigned();
                shards.add(new ChunkAddress(drive, address));
            } else {
                shards.add(null);
            }
        }
        return new Stripe(extentId, dataShards, parityShards, chunkBytes, storedData, dataBytes, shards, in.readLong());
    }

    static void writeOps(BinaryOut out, List<TxOp> ops) {
        out.writeUnsigned(ops.size());
        for (TxOp op : ops) {
            TxOpCodec.write(out, op);
        }
    }

    static List<TxOp> readOps(BinaryIn in) {
        int count = in.readCount();
        List<TxOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(TxOpCodec.read(in));
        }
        return ops;
    }

    static void writeAnswers(BinaryOut out, List<TxAnswer> answers) {
        out.writeUnsigned(answers.size());
        for (TxAnswer answer : answers) {
            TxOpCodec.writeAnswer(out, answer);
        }
    }

    static List<TxAnswer> readAnswers(BinaryIn in) {
        int count = in.readCount();
        List<TxAnswer> answers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            answers.add(TxOpCodec.readAnswer(in));
        }
        return answers;
    }

    static void writeResult(BinaryOut out, CommandResult result) {
        switch (result) {
            case CommandResult.Done d -> out.writeByte(1);
            case CommandResult.AttrResult r -> {
                out.writeByte(2);
                writeAttributes(out, r.attributes());
            }
            case CommandResult.TxPrepared p -> {
                out.writeByte(3);
                writeAnswers(out, p.answers());
            }
            case CommandResult.TxRefused r -> {
                out.writeByte(4);
                out.writeInt(r.errno());
            }
            case CommandResult.TxStarted s -> {
                out.writeByte(5);
                out.writeId(s.txId());
            }
        }
    }

    static CommandResult readResult(BinaryIn in) {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> CommandResult.DONE;
            case 2 -> new CommandResult.AttrResult(readAttributes(in));
            case 3 -> new CommandResult.TxPrepared(readAnswers(in));
            case 4 -> new CommandResult.TxRefused(in.readInt());
            case 5 -> new CommandResult.TxStarted(in.readId());
            default -> throw new IllegalArgumentException("result tag " + tag + " is unknown");
        };
    }

    // ------------------------------------------------------------ commands

    private static final class CommandWriter {
        static void write(BinaryOut out, BucketCommand command) {
            switch (command) {
                case CreateRoot c -> {
                    out.writeByte(1);
                    out.writeInt(c.fsId());
                    out.writeInt(c.mode());
                    out.writeInt(c.uid());
                    out.writeInt(c.gid());
                    out.writeLong(c.timeNs());
                }
                case Create c -> {
                    out.writeByte(2);
                    out.writeId(c.parent());
                    out.writeString(c.name());
                    writeType(out, c.type());
                    out.writeInt(c.mode());
                    out.writeInt(c.uid());
                    out.writeInt(c.gid());
                    out.writeLong(c.rdev());
                    out.writeString(c.symlinkTarget());
                    out.writeBoolean(c.exclusive());
                    out.writeLong(c.timeNs());
                    writeOrigin(out, c.origin());
                    out.writeLong(c.openHandle());
                }
                case SetAttr c -> {
                    out.writeByte(3);
                    out.writeId(c.ino());
                    out.writeInt(c.valid());
                    out.writeInt(c.mode());
                    out.writeInt(c.uid());
                    out.writeInt(c.gid());
                    out.writeLong(c.size());
                    out.writeLong(c.atimeNs());
                    out.writeLong(c.mtimeNs());
                    out.writeLong(c.ctimeNs());
                    out.writeInt(c.callerUid());
                    out.writeLong(c.timeNs());
                    writeOrigin(out, c.origin());
                }
                default -> writeChanges(out, command);
            }
        }

        private static void writeChanges(BinaryOut out, BucketCommand command) {
            switch (command) {
                case Unlink c -> writeNameCommand(out, 4, c.parent(), c.name(), c.timeNs(), c.origin());
                case Rmdir c -> writeNameCommand(out, 5, c.parent(), c.name(), c.timeNs(), c.origin());
                case Link c -> {
                    out.writeByte(6);
                    out.writeId(c.ino());
                    out.writeId(c.newParent());
                    out.writeString(c.newName());
                    out.writeLong(c.timeNs());
                    writeOrigin(out, c.origin());
                }
                case Rename c -> {
                    out.writeByte(7);
                    out.writeId(c.parent());
                    out.writeString(c.name());
                    out.writeId(c.newParent());
                    out.writeString(c.newName());
                    out.writeInt(c.flags());
                    out.writeLong(c.timeNs());
                    writeOrigin(out, c.origin());
                }
                case CommitExtent c -> {
                    out.writeByte(8);
                    out.writeId(c.ino());
                    out.writeLong(c.fileOffset());
                    out.writeLong(c.length());
                    out.writeLong(c.stripeOffset());
                    writeStripe(out, c.stripe());
                    out.writeInt(c.callerUid());
                    out.writeLong(c.timeNs());
                    writeOrigin(out, c.origin());
                }
                default -> writeOther(out, command);
            }
        }

        private static void writeNameCommand(BinaryOut out, int tag, long parent, String name, long timeNs,
                RequestOrigin origin) {
            out.writeByte(tag);
            out.writeId(parent);
            out.writeString(name);
            out.writeLong(timeNs);
            writeOrigin(out, origin);
        }

        private static void writeOther(BinaryOut out, BucketCommand command) {
            switch (command) {
                case Opened c -> {
                    out.writeByte(9);
                    out.writeId(c.ino());
                    out.writeLong(c.handle());
                }
                case Released c -> {
                    out.writeByte(10);
                    out.writeId(c.ino());
                    out.writeLong(c.handle());
                }
                case ReleaseAllOfMount c -> {
                    out.writeByte(11);
                    out.writeInt(c.mountId());
                }
                case DropLingering c -> {
                    out.writeByte(23);
                    out.writeLong(c.upToNumber());
                }
                case ShardsRepaired c -> {
                    out.writeByte(12);
                    out.writeId(c.extentId());
                    out.writeLong(c.mask());
                }
                case RegionsLeased c -> {
                    out.writeByte(13);
                    out.writeInt(c.drive());
                    out.writeUnsigned(c.regionIndices().size());
                    for (int index : c.regionIndices()) {
                        out.writeInt(index);
                    }
                    out.writeLong(c.regionBytes());
                    out.writeLong(c.firstRegionAddress());
                }
                case CapacityGranted c -> {
                    out.writeByte(14);
                    out.writeInt(c.fsId());
                    out.writeLong(c.bytes());
                }
                case CapacityReturned c -> {
                    out.writeByte(15);
                    out.writeInt(c.fsId());
                    out.writeLong(c.bytes());
                }
                case DeleteFilesystem c -> {
                    out.writeByte(16);
                    out.writeInt(c.fsId());
                }
                default -> writeTransaction(out, command);
            }
        }

        private static void writeTransaction(BinaryOut out, BucketCommand command) {
            switch (command) {
                case TxPrepare c -> {
                    out.writeByte(17);
                    out.writeId(c.txId());
                    out.writeInt(c.coordinatorBucket());
                    out.writeInt(c.round());
                    writeOps(out, c.ops());
                    out.writeLong(c.timeNs());
                }
                case TxCommit c -> {
                    out.writeByte(18);
                    out.writeId(c.txId());
                }
                case TxAbort c -> {
                    out.writeByte(19);
                    out.writeId(c.txId());
                }
                case TxBegin c -> {
                    out.writeByte(20);
                    out.writeId(c.txId());
                    TxOpCodec.writeNamespaceOp(out, c.op());
                    writeOrigin(out, c.origin());
                    out.writeLong(c.timeNs());
                }
                case TxDecided c -> {
                    out.writeByte(21);
                    out.writeId(c.txId());
                    out.writeBoolean(c.commit());
                    out.writeInt(c.errno());
                    writeAttributes(out, c.result());
                    writeBuckets(out, c.participants());
                }
                case TxFinished c -> {
                    out.writeByte(22);
                    out.writeId(c.txId());
                }
                default -> throw new IllegalStateException("no encoding for " + command);
            }
        }
    }

    static void writeBuckets(BinaryOut out, List<Integer> buckets) {
        out.writeUnsigned(buckets.size());
        for (int bucket : buckets) {
            out.writeInt(bucket);
        }
    }

    static List<Integer> readBuckets(BinaryIn in) {
        int count = in.readCount();
        List<Integer> buckets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buckets.add(in.readInt());
        }
        return buckets;
    }

    private static final class CommandReader {
        static BucketCommand read(BinaryIn in) {
            int tag = in.readByte();
            return switch (tag) {
                case 1 -> new CreateRoot(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong());
                case 2 -> new Create(in.readId(), in.readString(), readType(in), in.readInt(), in.readInt(), in.readInt(),
                        in.readLong(), in.readString(), in.readBoolean(), in.readLong(), readOrigin(in), in.readLong());
                case 3 -> new SetAttr(in.readId(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong(),
                        in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong(), readOrigin(in));
                case 4 -> new Unlink(in.readId(), in.readString(), in.readLong(), readOrigin(in));
                case 5 -> new Rmdir(in.readId(), in.readString(), in.readLong(), readOrigin(in));
                case 6 -> new Link(in.readId(), in.readId(), in.readString(), in.readLong(), readOrigin(in));
                case 7 -> new Rename(in.readId(), in.readString(), in.readId(), in.readString(), in.readInt(), in.readLong(),
                        readOrigin(in));
                case 8 -> new CommitExtent(in.readId(), in.readLong(), in.readLong(), in.readLong(), readStripe(in),
                        in.readInt(), in.readLong(), readOrigin(in));
                default -> readOther(tag, in);
            };
        }

        private static BucketCommand readOther(int tag, BinaryIn in) {
            return switch (tag) {
                case 9 -> new Opened(in.readId(), in.readLong());
                case 10 -> new Released(in.readId(), in.readLong());
                case 11 -> new ReleaseAllOfMount(in.readInt());
                case 12 -> new ShardsRepaired(in.readId(), in.readLong());
                case 13 -> {
                    int drive = in.readInt();
                    int count = in.readCount();
                    List<Integer> indices = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        indices.add(in.readInt());
                    }
                    yield new RegionsLeased(drive, indices, in.readLong(), in.readLong());
                }
                case 14 -> new CapacityGranted(in.readInt(), in.readLong());
                case 15 -> new CapacityReturned(in.readInt(), in.readLong());
                case 16 -> new DeleteFilesystem(in.readInt());
                case 17 -> new TxPrepare(in.readId(), in.readInt(), in.readInt(), readOps(in), in.readLong());
                case 18 -> new TxCommit(in.readId());
                case 19 -> new TxAbort(in.readId());
                case 20 -> new TxBegin(in.readId(), TxOpCodec.readNamespaceOp(in), readOrigin(in), in.readLong());
                case 21 -> new TxDecided(in.readId(), in.readBoolean(), in.readInt(), readAttributes(in), readBuckets(in));
                case 22 -> new TxFinished(in.readId());
                case 23 -> new DropLingering(in.readLong());
                default -> throw new IllegalArgumentException("command tag " + tag + " is unknown");
            };
        }
    }
}
