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
import io.strata.compute.layout.ExtentView;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One bucket's replicated state machine: the namespace, inodes and extent maps of the files it
 * owns, the drive space and capacity leased to it, open handles, request dedup, and the
 * cross-bucket transactions it takes part in or coordinates.
 *
 * <p>Design. Everything is deterministic: {@link #apply} is a pure function of the state and a
 * {@link BucketCommand}, which carries every time and id it needs (no clock, no randomness, no
 * iteration over hash order reaches the state or a result), so replicas that apply one log end
 * byte-identical ({@link #snapshot}). A command either succeeds or throws {@link FsException}
 * with a Linux errno and leaves the state untouched: handlers check everything before they change
 * anything. Commands that need keys of other buckets refuse with EXDEV; the leader then runs them
 * as transactions ({@link TxPlanner}, {@link TxCoordinator}), whose prepared keys are locked here
 * (others get EBUSY) until the coordinator's decision arrives. Reads ({@link #getattr},
 * {@link #lookup}, {@link #readdir}, {@link #layout}, ...) never change anything and see only
 * committed state. A command carrying a {@link RequestOrigin} that already succeeded returns its
 * first result again.
 *
 * <p>Not thread-safe: one owner (the Raft state machine's apply thread) calls it; queries from
 * other threads must go through that owner or read a restored copy.
 */
public final class BucketState {
    private final BucketStore store;
    private final NamespaceCommands namespace;
    private final RenameCommand rename;
    private final AttributeCommands attributes;
    private final ExtentCommands extents;
    private final HousekeepingCommands housekeeping;
    private final TxParticipant participant;
    private final CoordinatorCommands coordinator;

    private BucketState(BucketStore store) {
        this.store = store;
        this.namespace = new NamespaceCommands(store);
        this.rename = new RenameCommand(store);
        this.attributes = new AttributeCommands(store);
        this.extents = new ExtentCommands(store);
        this.housekeeping = new HousekeepingCommands(store);
        this.participant = new TxParticipant(store);
        this.coordinator = new CoordinatorCommands(store);
    }

    /** An empty bucket {@code bucket} of {@code bucketCount}. */
    public static BucketState create(int bucket, int bucketCount) {
        return new BucketState(new BucketStore(bucket, bucketCount));
    }

    public int bucket() {
        return store.bucket;
    }

    public int bucketCount() {
        return store.bucketCount;
    }

    // ---------------------------------------------------------------- commands

    /** Applies one command; throws {@link FsException} (state untouched) when it is refused. */
    public CommandResult apply(BucketCommand command) {
        RequestOrigin origin = originOf(command);
        CommandResult remembered = store.dedup.find(origin);
        if (remembered != null) {
            return remembered;
        }
        CommandResult result = dispatch(command);
        store.dedup.remember(origin, result);
        return result;
    }

    private CommandResult dispatch(BucketCommand command) {
        return switch (command) {
            case CreateRoot c -> namespace.createRoot(c);
            case Create c -> namespace.create(c);
            case SetAttr c -> attributes.setAttr(c);
            case Unlink c -> namespace.unlink(c);
            case Rmdir c -> namespace.rmdir(c);
            case Link c -> namespace.link(c);
            case Rename c -> rename.apply(c);
            case CommitExtent c -> extents.commit(c);
            case Opened c -> housekeeping.opened(c);
            case Released c -> housekeeping.released(c);
            case ReleaseAllOfMount c -> housekeeping.releaseAllOfMount(c.mountId());
            case DropLingering c -> housekeeping.dropLingering(c);
            case ShardsRepaired c -> housekeeping.shardsRepaired(c);
            case RegionsLeased c -> housekeeping.regionsLeased(c);
            case CapacityGranted c -> housekeeping.capacityGranted(c.fsId(), c.bytes());
            case CapacityReturned c -> housekeeping.capacityReturned(c.fsId(), c.bytes());
            case DeleteFilesystem c -> housekeeping.deleteFilesystem(c);
            case TxPrepare c -> participant.prepare(c);
            case TxCommit c -> participant.commit(c.txId());
            case TxAbort c -> participant.abort(c.txId());
            case TxBegin c -> coordinator.begin(c);
            case TxDecided c -> coordinator.decided(c);
            case TxFinished c -> coordinator.finished(c.txId());
        };
    }

    private static RequestOrigin originOf(BucketCommand command) {
        return switch (command) {
            case Create c -> c.origin();
            case SetAttr c -> c.origin();
            case Unlink c -> c.origin();
            case Rmdir c -> c.origin();
            case Link c -> c.origin();
            case Rename c -> c.origin();
            case CommitExtent c -> c.origin();
            default -> RequestOrigin.NONE;
        };
    }

    // ---------------------------------------------------------------- namespace queries

    /** Also of a file that lingers (nlink 0): the kernel may check a file it is about to open. */
    public Attributes getattr(long ino) {
        return store.inodeOrLingering(ino).attributes();
    }

    public LookupResult lookup(long parent, String name) {
        Inode dir = store.directory(parent);
        Names.check(name);
        Directory.Entry entry = dir.directory.get(name);
        if (entry == null) {
            throw FsException.of(Errno.ENOENT, "no '%s' in %s", name, Inodes.format(parent));
        }
        Inode child = store.owns(entry.ino()) ? store.inodes.get(entry.ino()) : null;
        return new LookupResult(entry.ino(), entry.type(), child == null ? null : child.attributes());
    }

    /** Up to {@code max} entries with a cookie above {@code afterCookie} (0 from the start), in cookie order. */
    public List<DirEntry> readdir(long dir, long afterCookie, int max) {
        if (max <= 0) {
            throw FsException.of(Errno.EINVAL, "readdir of %d entries", max);
        }
        return store.directory(dir).directory.page(afterCookie, max);
    }

    public String readlink(long ino) {
        Inode inode = store.inode(ino);
        if (inode.type != FileType.SYMLINK) {
            throw FsException.of(Errno.EINVAL, "inode %s is a %s, not a symlink", Inodes.format(ino), inode.type);
        }
        return inode.symlinkTarget;
    }

    /** A directory's parent (a root is its own parent), for ancestry checks that span buckets. */
    public long parentOf(long dirIno) {
        return store.directory(dirIno).parent;
    }

    /**
     * The mkdir transaction for {@code name} under {@code parent}, which must be in this bucket:
     * fs id, group and mode follow the parent (set-group-id directories).
     */
    public NamespaceOp.Mkdir mkdirOp(long parent, String name, int mode, int uid, int gid, long timeNs) {
        Inode dir = store.directory(parent);
        Names.check(name);
        NamespaceCommands.Ownership ownership = NamespaceCommands.inherit(dir, FileType.DIR, mode, gid);
        return new NamespaceOp.Mkdir(parent, name, dir.fsId, ownership.mode(), uid, ownership.gid(), timeNs);
    }

    // ---------------------------------------------------------------- data queries

    /**
     * The segments covering {@code [offset, offset + length)} clipped to the file's size, in order:
     * holes and stripe views clipped to the range. Empty at or past the end of the file.
     */
    public List<Segment> layout(long ino, long offset, long length) {
        Inode file = store.inode(ino);
        if (file.type != FileType.FILE) {
            throw FsException.of(file.isDirectory() ? Errno.EISDIR : Errno.EINVAL, "inode %s is a %s, not a file",
                    Inodes.format(ino), file.type);
        }
        if (offset < 0 || length < 0) {
            throw FsException.of(Errno.EINVAL, "range of %d bytes at %d is invalid", length, offset);
        }
        long end = Math.min(file.size, offset + Math.min(length, Long.MAX_VALUE - offset));
        List<Segment> segments = new ArrayList<>();
        if (offset >= end) {
            return segments;
        }
        long position = offset;
        for (Piece piece : file.extents.overlapping(offset, end)) {
            Piece clipped = piece.clip(offset, end);
            if (clipped.fileOffset() > position) {
                segments.add(new Segment.Hole(position, clipped.fileOffset() - position));
            }
            Stripe stripe = store.stripes.get(clipped.extentId());
            segments.add(new Segment.Data(new ExtentView(clipped.fileOffset(), clipped.length(), clipped.stripeOffset(), stripe)));
            position = clipped.fileEnd();
        }
        if (position < end) {
            segments.add(new Segment.Hole(position, end - position));
        }
        return segments;
    }

    /** The next extent id this bucket accepts; a leader hands out ids from here upward. */
    public long nextExtentId() {
        return Inodes.id(store.bucket, store.nextExtentCounter);
    }

    /** Read-only use: {@link SpaceMap#findFree}, free and leased bytes. */
    public SpaceMap space() {
        return store.space;
    }

    public FsUsage usage(int fsId) {
        return store.capacity.of(fsId);
    }

    public List<FsUsage> usages() {
        return store.capacity.all();
    }

    /** Bytes of capacity to ask the control plane for before writing {@code extraBytes} more to {@code fsId} (0: enough). */
    public long capacityNeeded(int fsId, long extraBytes) {
        return store.capacity.needed(fsId, extraBytes);
    }

    public List<Stripe> stripesMissingOn(int drive) {
        return store.stripes.missingOn(drive);
    }

    public int degradedStripeCount() {
        return store.stripes.degradedCount();
    }

    public int stripeCount() {
        return store.stripes.count();
    }

    /** Pieces (views) that refer to stripe {@code extentId}; 0 once it is freed. */
    public int stripeReferences(long extentId) {
        return store.stripes.references(extentId);
    }

    public int openHandles(long ino) {
        return store.open.count(ino);
    }

    /** Inodes with a name or a handle: lingering files not counted. */
    public int inodeCount() {
        return store.inodes.size() - store.lingering.count();
    }

    public int lingeringFileCount() {
        return store.lingering.count();
    }

    /** The number the latest file to linger got: a {@link BucketCommand.DropLingering} up to it ends their grace. */
    public long lastLingeringNumber() {
        return store.lingering.lastNumber();
    }

    /** The number of the file lingering longest, or {@link Long#MAX_VALUE} when none does. */
    public long oldestLingeringNumber() {
        return store.lingering.oldestNumber();
    }

    /** Every inode number in this bucket with a name or a handle, in order (tests and repair tools). */
    public List<Long> inodeNumbers() {
        return store.inodes.keySet().stream().filter(ino -> !store.lingering.contains(ino)).toList();
    }

    // ---------------------------------------------------------------- transactions

    /** The next transaction id this bucket accepts in {@link TxBegin}. */
    public long nextTxId() {
        return Inodes.id(store.bucket, store.nextTxCounter);
    }

    /** Transactions this bucket coordinates that are not finished, for a new leader to resume. */
    public List<CoordinatorTx> unfinishedTransactions() {
        return List.copyOf(store.coordinated.values());
    }

    public Optional<CoordinatorTx> coordinatorTx(long txId) {
        return Optional.ofNullable(store.coordinated.get(txId));
    }

    /** The phase of a transaction this bucket coordinates; empty when it never began or has finished. */
    public Optional<TxPhase> coordinatorPhase(long txId) {
        return coordinatorTx(txId).map(CoordinatorTx::phase);
    }

    /** Transactions prepared here and not yet decided. */
    public List<InDoubtTx> preparedTransactions() {
        List<InDoubtTx> all = new ArrayList<>();
        for (PreparedTx tx : store.prepared.values()) {
            all.add(new InDoubtTx(tx.txId, tx.coordinatorBucket, tx.preparedAtNs));
        }
        return all;
    }

    /** How a transaction ended here: committed, aborted (or refused), or empty if unknown or still prepared. */
    public Optional<Boolean> participantCommitted(long txId) {
        BucketStore.Finished finished = store.finished.get(txId);
        return finished == null ? Optional.empty() : Optional.of(finished.committed());
    }

    /** How many keys transactions hold locked or pinned here. */
    public int lockedKeyCount() {
        return store.locks.size();
    }

    // ---------------------------------------------------------------- snapshots

    /** The whole state in the binary snapshot format ({@link SnapshotCodec}). */
    public byte[] snapshot() {
        return SnapshotCodec.write(store);
    }

    public static BucketState restore(byte[] snapshot) {
        return new BucketState(SnapshotCodec.read(snapshot));
    }

    // ---------------------------------------------------------------- package-private for tests

    byte[] snapshot(int version) {
        return SnapshotCodec.write(store, version);
    }

    List<DirEntry> allEntries(long dir) {
        return store.directory(dir).directory.all();
    }

    BucketStore store() {
        return store;
    }

    /** The inode number the next create will allocate. */
    long nextInoNumberForTests() {
        return Inodes.id(store.bucket, store.nextInoCounter);
    }
}
