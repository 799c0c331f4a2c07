package io.strata.compute.bucket;

import io.strata.compute.bucket.TxOp.AdjustNlink;
import io.strata.compute.bucket.TxOp.CreateInode;
import io.strata.compute.bucket.TxOp.DeleteDirectory;
import io.strata.compute.bucket.TxOp.DeleteEntry;
import io.strata.compute.bucket.TxOp.GuardAncestors;
import io.strata.compute.bucket.TxOp.LockEntry;
import io.strata.compute.bucket.TxOp.PutEntry;
import io.strata.compute.bucket.TxOp.SetParent;

/** Binary forms of transaction ops, answers and namespace operations (part of {@link BucketCodec}). */
final class TxOpCodec {
    private TxOpCodec() {
    }

    static void write(BinaryOut out, TxOp op) {
        switch (op) {
            case LockEntry e -> {
                out.writeByte(1);
                out.writeId(e.dir());
                out.writeString(e.name());
            }
            case PutEntry p -> {
                out.writeByte(2);
                out.writeId(p.dir());
                out.writeString(p.name());
                out.writeId(p.ino());
                BucketCodec.writeType(out, p.type());
                out.writeId(p.expectedIno());
            }
            case DeleteEntry d -> {
                out.writeByte(3);
                out.writeId(d.dir());
                out.writeString(d.name());
                out.writeId(d.expectedIno());
            }
            case CreateInode c -> {
                out.writeByte(4);
                out.writeInt(c.fsId());
                BucketCodec.writeType(out, c.type());
                out.writeInt(c.mode());
                out.writeInt(c.uid());
                out.writeInt(c.gid());
                out.writeLong(c.rdev());
                out.writeString(c.symlinkTarget());
                out.writeId(c.parent());
            }
            case AdjustNlink a -> {
                out.writeByte(5);
                out.writeId(a.ino());
                out.writeInt(a.delta());
            }
            case DeleteDirectory d -> {
                out.writeByte(6);
                out.writeId(d.dir());
            }
            case SetParent s -> {
                out.writeByte(7);
                out.writeId(s.dir());
                out.writeId(s.expectedParent());
                out.writeId(s.newParent());
            }
            case GuardAncestors g -> {
                out.writeByte(8);
                out.writeId(g.dir());
                out.writeId(g.forbiddenIno());
            }
        }
    }

    static TxOp read(BinaryIn in) {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> new LockEntry(in.readId(), in.readString());
            case 2 -> new PutEntry(in.readId(), in.readString(), in.readId(), BucketCodec.readType(in), in.readId());
            case 3 -> new DeleteEntry(in.readId(), in.readString(), in.readId());
            case 4 -> new CreateInode(in.readInt(), BucketCodec.readType(in), in.readInt(), in.readInt(), in.readInt(),
                    in.readLong(), in.readString(), in.readId());
            case 5 -> new AdjustNlink(in.readId(), in.readInt());
            case 6 -> new DeleteDirectory(in.readId());
            case 7 -> new SetParent(in.readId(), in.readId(), in.readId());
            case 8 -> new GuardAncestors(in.readId(), in.readId());
            default -> throw new IllegalArgumentException("transaction op tag " + tag + " is unknown");
        };
    }

    static void writeAnswer(BinaryOut out, TxAnswer answer) {
        switch (answer) {
            case TxAnswer.EntryFound f -> {
                out.writeByte(1);
                out.writeId(f.ino());
                BucketCodec.writeType(out, f.type());
            }
            case TxAnswer.EntryAbsent a -> out.writeByte(2);
            case TxAnswer.InodeAttributes a -> {
                out.writeByte(3);
                BucketCodec.writeAttributes(out, a.attributes());
            }
            case TxAnswer.Guarded g -> {
                out.writeByte(4);
                out.writeId(g.nextAncestor());
            }
            case TxAnswer.Accepted a -> out.writeByte(5);
        }
    }

    static TxAnswer readAnswer(BinaryIn in) {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> new TxAnswer.EntryFound(in.readId(), BucketCodec.readType(in));
            case 2 -> TxAnswer.ABSENT;
            case 3 -> new TxAnswer.InodeAttributes(BucketCodec.readAttributes(in));
            case 4 -> new TxAnswer.Guarded(in.readId());
            case 5 -> TxAnswer.ACCEPTED;
            default -> throw new IllegalArgumentException("transaction answer tag " + tag + " is unknown");
        };
    }

    static void writeNamespaceOp(BinaryOut out, NamespaceOp op) {
        switch (op) {
            case NamespaceOp.Mkdir m -> {
                out.writeByte(1);
                out.writeId(m.parent());
                out.writeString(m.name());
                out.writeInt(m.fsId());
                out.writeInt(m.mode());
                out.writeInt(m.uid());
                out.writeInt(m.gid());
            }
            case NamespaceOp.Rmdir r -> {
                out.writeByte(2);
                out.writeId(r.parent());
                out.writeString(r.name());
            }
            case NamespaceOp.Unlink u -> {
                out.writeByte(3);
                out.writeId(u.parent());
                out.writeString(u.name());
            }
            case NamespaceOp.Link l -> {
                out.writeByte(4);
                out.writeId(l.ino());
                out.writeId(l.newParent());
                out.writeString(l.newName());
            }
            case NamespaceOp.Rename r -> {
                out.writeByte(5);
                out.writeId(r.parent());
                out.writeString(r.name());
                out.writeId(r.newParent());
                out.writeString(r.newName());
                out.writeInt(r.flags());
            }
        }
        out.writeLong(op.timeNs());
    }

    static NamespaceOp readNamespaceOp(BinaryIn in) {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> new NamespaceOp.Mkdir(in.readId(), in.readString(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readLong());
            case 2 -> new NamespaceOp.Rmdir(in.readId(), in.readString(), in.readLong());
            case 3 -> new NamespaceOp.Unlink(in.readId(), in.readString(), in.readLong());
            case 4 -> new NamespaceOp.Link(in.readId(), in.readId(), in.readString(), in.readLong());
            case 5 -> new NamespaceOp.Rename(in.readId(), in.readString(), in.readId(), in.readString(), in.readInt(),
                    in.readLong());
            default -> throw new IllegalArgumentException("namespace op tag " + tag + " is unknown");
        };
    }
}
