package io.strata.compute.bucket;

import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The binary snapshot of a bucket (format {@link #VERSION}). Only what cannot be derived is
 * written, in a fixed order (sorted maps, first-in-first-out lists as they are), so equal states
 * give equal bytes. Derived on restore: stripe reference counts (from the pieces), the allocation
 * bitmap (from the stripes), per-fs use and inode counts (from the inodes), the degraded-stripe
 * index and the lock index (from the prepared transactions).
 */
final class SnapshotCodec {
    static final int MAGIC = 0x53544b42;
    /** Version 2 added the lingering files; a version 1 snapshot has none. */
    static final int VERSION = 2;
    static final int VERSION_WITHOUT_LINGERING = 1;

    private SnapshotCodec() {
    }

    static byte[] write(BucketStore s) {
        return write(s, VERSION);
    }

    /** In the layout of {@code version}: an earlier one only to check that such snapshots are still read. */
    static byte[] write(BucketStore s, int version) {
        if (version != VERSION && (version != VERSION_WITHOUT_LINGERING || s.lingering.count() > 0 || s.lingering.lastNumber() > 0)) {
            throw new IllegalArgumentException("this state cannot be written as a version " + version + " snapshot");
        }
        BinaryOut out = new BinaryOut(1 << 16);
        out.writeUnsigned(MAGIC);
        out.writeUnsigned(version);
        out.writeInt(s.bucket);
        out.writeInt(s.bucketCount);
        out.writeLong(s.nextInoCounter);
        out.writeLong(s.nextExtentCounter);
        out.writeLong(s.nextTxCounter);
        out.writeLong(s.nextGeneration);
        writeSpace(out, s.space);
        List<FsUsage> reserved = new ArrayList<>();
        for (FsUsage usage : s.capacity.all()) {
            if (usage.reservedBytes() != 0) {
                reserved.add(usage);
            }
        }
        out.writeUnsigned(reserved.size());
        for (FsUsage usage : reserved) {
            out.writeInt(usage.fsId());
            out.writeLong(usage.reservedBytes());
        }
        out.writeUnsigned(s.stripes.count());
        for (Stripe stripe : s.stripes.all()) {
            BucketCodec.writeStripe(out, stripe);
        }
        out.writeUnsigned(s.inodes.size());
        for (Inode inode : s.inodes.values()) {
            writeInode(out, inode);
        }
        writeOpenFiles(out, s.open);
        if (version != VERSION_WITHOUT_LINGERING) {
            s.lingering.write(out);
        }
        out.writeUnsigned(s.dedup.all().size());
        for (Map.Entry<RequestOrigin, CommandResult> e : s.dedup.all().entrySet()) {
            BucketCodec.writeOrigin(out, e.getKey());
            BucketCodec.writeResult(out, e.getValue());
        }
        writeTransactions(out, s);
        return out.toByteArray();
    }

    static BucketStore read(byte[] bytes) {
        BinaryIn in = new BinaryIn(bytes);
        long magic = in.readUnsigned();
        long version = in.readUnsigned();
        if (magic != MAGIC || (version != VERSION && version != VERSION_WITHOUT_LINGERING)) {
            throw new IllegalArgumentException("not a bucket snapshot of version " + VERSION_WITHOUT_LINGERING + " or "
                    + VERSION + " (magic " + magic
                    + ", version " + version + ")");
        }
        BucketStore s = new BucketStore(in.readInt(), in.readInt());
        s.nextInoCounter = in.readLong();
        s.nextExtentCounter = in.readLong();
        s.nextTxCounter = in.readLong();
        s.nextGeneration = in.readLong();
        readSpace(in, s.space);
        int reservations = in.readCount();
        for (int i = 0; i < reservations; i++) {
            s.capacity.setReserved(in.readInt(), in.readLong());
        }
        int stripes = in.readCount();
        for (int i = 0; i < stripes; i++) {
            Stripe stripe = BucketCodec.readStripe(in);
            s.stripes.register(stripe);
            s.space.allocate(stripe);
        }
        int inodes = in.readCount();
        for (int i = 0; i < inodes; i++) {
            Inode inode = readInode(in);
            s.insert(inode);
            if (inode.extents != null) {
                s.applyChange(inode, new ExtentMap.Change(List.of(), List.copyOf(inode.extents.all())));
            }
        }
        for (Map.Entry<Long, Integer> e : s.stripes.referenceCounts().entrySet()) {
            if (e.getValue() == 0) {
                throw new IllegalArgumentException("stripe " + Inodes.format(e.getKey()) + " has no piece referring to it");
            }
        }
        readOpenFiles(in, s.open);
        if (version != VERSION_WITHOUT_LINGERING) {
            s.lingering.read(in);
            for (long ino : s.lingering.upTo(Long.MAX_VALUE)) {
                Inode inode = s.inodes.get(ino);
                if (inode == null || inode.nlink != 0 || s.open.isOpen(ino) || inode.isDirectory()) {
                    throw new IllegalArgumentException("lingering file " + Inodes.format(ino) + " is missing, named or open");
                }
                s.countAgainstCapacity(inode, -1);
            }
        }
        int remembered = in.readCount();
        for (int i = 0; i < remembered; i++) {
            s.dedup.remember(BucketCodec.readOrigin(in), BucketCodec.readResult(in));
        }
        readTransactions(in, s);
        if (!in.atEnd()) {
            throw new IllegalArgumentException("bytes left after the snapshot at " + in.position());
        }
        return s;
    }

    private static void writeSpace(BinaryOut out, SpaceMap space) {
        out.writeUnsigned(space.drives().size());
        for (int drive : space.drives()) {
            out.writeInt(drive);
            out.writeLong(space.regionBytes(drive));
            out.writeLong(space.firstRegionAddress(drive));
            List<Integer> regions = space.regionsOf(drive);
            out.writeUnsigned(regions.size());
            int previous = 0;
            for (int index : regions) {
                out.writeInt(index - previous);
                previous = index;
            }
        }
    }

    private static void readSpace(BinaryIn in, SpaceMap space) {
        int drives = in.readCount();
        for (int d = 0; d < drives; d++) {
            int drive = in.readInt();
            long regionBytes = in.readLong();
            long first = in.readLong();
            int count = in.readCount();
            List<Integer> regions = new ArrayList<>(count);
            int previous = 0;
            for (int i = 0; i < count; i++) {
                previous += in.readInt();
                regions.add(previous);
            }
            space.checkLease(drive, regions, regionBytes, first);
            space.lease(drive, regions, regionBytes, first);
        }
    }

    private static void writeInode(BinaryOut out, Inode inode) {
        out.writeId(inode.ino);
        out.writeInt(inode.fsId);
        BucketCodec.writeType(out, inode.type);
        out.writeLong(inode.generation);
        out.writeInt(inode.mode);
        out.writeInt(inode.uid);
        out.writeInt(inode.gid);
        out.writeLong(inode.size);
        out.writeInt(inode.nlink);
        out.writeLong(inode.ctimeNs);
        out.writeLong(inode.atimeNs - inode.ctimeNs);
        out.writeLong(inode.mtimeNs - inode.ctimeNs);
        out.writeLong(inode.rdev);
        out.writeString(inode.symlinkTarget);
        out.writeId(inode.parent);
        if (inode.directory != null) {
            writeDirectory(out, inode.directory);
        }
        if (inode.extents != null) {
            out.writeUnsigned(inode.extents.count());
            long previousEnd = 0;
            for (Piece piece : inode.extents.all()) {
                out.writeLong(piece.fileOffset() - previousEnd);
                out.writeLong(piece.length());
                out.writeLong(piece.stripeOffset());
                out.writeId(piece.extentId());
                previousEnd = piece.fileEnd();
            }
        }
    }

    private static Inode readInode(BinaryIn in) {
        Inode inode = new Inode(in.readId(), in.readInt(), BucketCodec.readType(in), in.readLong());
        inode.mode = in.readInt();
        inode.uid = in.readInt();
        inode.gid = in.readInt();
        inode.size = in.readLong();
        inode.nlink = in.readInt();
        inode.ctimeNs = in.readLong();
        inode.atimeNs = inode.ctimeNs + in.readLong();
        inode.mtimeNs = inode.ctimeNs + in.readLong();
        inode.rdev = in.readLong();
        inode.symlinkTarget = in.readString();
        inode.parent = in.readId();
        if (inode.directory != null) {
            readDirectory(in, inode.directory);
        }
        if (inode.extents != null) {
            int pieces = in.readCount();
            long previousEnd = 0;
            for (int i = 0; i < pieces; i++) {
                Piece piece = new Piece(previousEnd + in.readLong(), in.readLong(), in.readLong(), in.readId());
                inode.extents.restore(piece);
                previousEnd = piece.fileEnd();
            }
        }
        return inode;
    }

    private static void writeDirectory(BinaryOut out, Directory directory) {
        out.writeLong(directory.nextCookie());
        List<DirEntry> entries = directory.all();
        out.writeUnsigned(entries.size());
        long previousCookie = 0;
        for (DirEntry entry : entries) {
            out.writeLong(entry.cookie() - previousCookie);
            out.writeString(entry.name());
            out.writeId(entry.ino());
            BucketCodec.writeType(out, entry.type());
            previousCookie = entry.cookie();
        }
    }

    private static void readDirectory(BinaryIn in, Directory directory) {
        directory.restoreNextCookie(in.readLong());
        int entries = in.readCount();
        long cookie = 0;
        for (int i = 0; i < entries; i++) {
            cookie += in.readLong();
            directory.restore(in.readString(), in.readId(), BucketCodec.readType(in), cookie);
        }
    }

    private static void writeOpenFiles(BinaryOut out, OpenFiles open) {
        out.writeUnsigned(open.all().size());
        for (Map.Entry<Long, TreeSet<Long>> e : open.all().entrySet()) {
            out.writeId(e.getKey());
            out.writeUnsigned(e.getValue().size());
            for (long handle : e.getValue()) {
                out.writeLong(handle);
            }
        }
    }

    private static void readOpenFiles(BinaryIn in, OpenFiles open) {
        int inodes = in.readCount();
        for (int i = 0; i < inodes; i++) {
            long ino = in.readId();
            int handles = in.readCount();
            for (int h = 0; h < handles; h++) {
                open.open(ino, in.readLong());
            }
        }
    }

    private static void writeTransactions(BinaryOut out, BucketStore s) {
        out.writeUnsigned(s.prepared.size());
        for (PreparedTx tx : s.prepared.values()) {
            writePrepared(out, tx);
        }
        out.writeUnsigned(s.finished.size());
        for (Map.Entry<Long, BucketStore.Finished> e : s.finished.entrySet()) {
            out.writeId(e.getKey());
            out.writeBoolean(e.getValue().committed());
            out.writeInt(e.getValue().errno());
        }
        out.writeUnsigned(s.coordinated.size());
        for (CoordinatorTx tx : s.coordinated.values()) {
            out.writeId(tx.txId());
            TxOpCodec.writeNamespaceOp(out, tx.op());
            BucketCodec.writeOrigin(out, tx.origin());
            out.writeLong(tx.beganNs());
            out.writeByte(tx.phase().ordinal());
            out.writeInt(tx.errno());
            BucketCodec.writeAttributes(out, tx.result());
            BucketCodec.writeBuckets(out, tx.participants());
        }
    }

    private static void readTransactions(BinaryIn in, BucketStore s) {
        int prepared = in.readCount();
        for (int i = 0; i < prepared; i++) {
            PreparedTx tx = readPrepared(in);
            s.prepared.put(tx.txId, tx);
            s.locks.acquire(tx.txId, tx.locks);
        }
        int finished = in.readCount();
        for (int i = 0; i < finished; i++) {
            s.rememberFinished(in.readId(), new BucketStore.Finished(in.readBoolean(), in.readInt()));
        }
        int coordinated = in.readCount();
        TxPhase[] phases = TxPhase.values();
        for (int i = 0; i < coordinated; i++) {
            long txId = in.readId();
            NamespaceOp op = TxOpCodec.readNamespaceOp(in);
            RequestOrigin origin = BucketCodec.readOrigin(in);
            long beganNs = in.readLong();
            int phase = in.readByte();
            if (phase >= phases.length) {
                throw new IllegalArgumentException("transaction phase " + phase + " is unknown");
            }
            s.coordinated.put(txId, new CoordinatorTx(txId, op, origin, beganNs, phases[phase], in.readInt(),
                    BucketCodec.readAttributes(in), BucketCodec.readBuckets(in)));
        }
    }

    private static void writePrepared(BinaryOut out, PreparedTx tx) {
        out.writeId(tx.txId);
        out.writeInt(tx.coordinatorBucket);
        out.writeLong(tx.preparedAtNs);
        out.writeUnsigned(tx.rounds.size());
        tx.rounds.forEach((number, round) -> {
            out.writeInt(number);
            BucketCodec.writeOps(out, round.ops());
            BucketCodec.writeAnswers(out, round.answers());
            out.writeLong(round.timeNs());
        });
        out.writeUnsigned(tx.locks.entries.size());
        for (DentryKey key : tx.locks.entries) {
            out.writeId(key.dir());
            out.writeString(key.name());
        }
        writeIds(out, tx.locks.inodes);
        writeIds(out, tx.locks.pins);
        out.writeUnsigned(tx.createdInodes.size());
        for (Inode inode : tx.createdInodes.values()) {
            writeInode(out, inode);
        }
    }

    private static PreparedTx readPrepared(BinaryIn in) {
        PreparedTx tx = new PreparedTx(in.readId(), in.readInt(), in.readLong());
        int rounds = in.readCount();
        for (int r = 0; r < rounds; r++) {
            int number = in.readInt();
            tx.rounds.put(number, new PreparedTx.Round(BucketCodec.readOps(in), BucketCodec.readAnswers(in), in.readLong()));
        }
        int entries = in.readCount();
        for (int i = 0; i < entries; i++) {
            tx.locks.entries.add(new DentryKey(in.readId(), in.readString()));
        }
        readIds(in, tx.locks.inodes);
        readIds(in, tx.locks.pins);
        int created = in.readCount();
        for (int i = 0; i < created; i++) {
            Inode inode = readInode(in);
            tx.createdInodes.put(inode.ino, inode);
        }
        return tx;
    }

    private static void writeIds(BinaryOut out, TreeSet<Long> ids) {
        out.writeUnsigned(ids.size());
        for (long id : ids) {
            out.writeId(id);
        }
    }

    private static void readIds(BinaryIn in, TreeSet<Long> ids) {
        int count = in.readCount();
        for (int i = 0; i < count; i++) {
            ids.add(in.readId());
        }
    }
}
