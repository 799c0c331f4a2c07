package io.strata.compute.process;

import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.Errno;
import io.strata.compute.bucket.FsException;
import io.strata.compute.bucket.FsUsage;
import io.strata.compute.bucket.Inodes;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.FilesystemEntry;
import io.strata.drive.client.DriveClient;
import io.strata.drive.wire.DriveFrames;
import io.strata.runtime.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bucket leader does besides answering requests: fences every drive with its term when it
 * becomes leader (so a deposed leader's late chunk writes are refused), resumes the transactions
 * its log left unfinished, creates filesystems' roots, leases drive regions and filesystem
 * capacity from the control plane, reports usage, repairs degraded stripes, resolves
 * transactions it holds prepared for too long, and ends the grace of lingering files.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long REPORT_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long WATCH_PERIOD_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int REGIONS_PER_LEASE = 2;

    private final ComputeService service;
    private final Repairs repairs;
    private final LingeringGrace lingering;
    private final AppenderWatch appenders;
    private final StrandedFollowerWatch strandedFollowers;
    private final Map<Integer, Long> fencedTerms = new HashMap<>();
    private final Set<Integer> fencing = new HashSet<>();
    private final Map<String, List<Consumer<Grant>>> pendingLeases = new HashMap<>();
    private final Map<Integer, String> lastReports = new HashMap<>();
    private final Set<Integer> rootsCreating = new HashSet<>();
    private long nextRunNanos;
    private long nextReportNanos;
    private long nextWatchNanos;

    Housekeeping(ComputeService service, WritePath writes) {
        this.service = service;
        this.repairs = new Repairs(service);
        this.lingering = new LingeringGrace(service);
        this.appenders = new AppenderWatch(service.groups()::replications, service.context().clock());
        // a rebuild removes and adds a Ratis group (folders, threads): off this process's thread
        this.strandedFollowers = new StrandedFollowerWatch(service.groups()::followers, service.context().clock(),
                bucket -> Thread.ofVirtual().name("rebuild-bucket-" + bucket).start(() -> service.groups().rebuild(bucket)));
    }

    boolean isFenced(int bucket) {
        Long fenced = fencedTerms.get(bucket);
        return fenced != null && fenced == service.groups().term(bucket);
    }

    int poll() {
        long now = service.context().clock().nanoTime();
        if (now < nextRunNanos) {
            return 0;
        }
        nextRunNanos = now + PERIOD_NS;
        boolean report = now >= nextReportNanos;
        if (report) {
            nextReportNanos = now + REPORT_PERIOD_NS;
        }
        if (now >= nextWatchNanos) {
            nextWatchNanos = now + WATCH_PERIOD_NS;
            appenders.poll();
            strandedFollowers.poll();
        }
        for (int bucket : service.groups().buckets()) {
            if (!service.groups().isLeader(bucket)) {
                fencedTerms.remove(bucket);
                ledSinceNanos.remove(bucket);
                lingering.forget(bucket);
                continue;
            }
            if (!isFenced(bucket)) {
                fence(bucket);
                continue;
            }
            createRoots(bucket);
            lingering.poll(bucket, now);
            if (report) {
                report(bucket);
                service.transactions().resolveInDoubt(bucket);
                dropDeletedFilesystems(bucket);
            }
            repairs.poll(bucket);
            rebalance(bucket, now);
        }
        return 1;
    }

    private static final long REBALANCE_AFTER_NS = TimeUnit.SECONDS.toNanos(10);
    private final Map<Integer, Long> ledSinceNanos = new HashMap<>();
    private long nextRebalanceNanos;

    /**
     * Gives a bucket back to its preferred leader (its first member) once that one is up again,
     * so leadership spreads over the compute processes as placed, also after maintenance.
     */
    private void rebalance(int bucket, long now) {
        long since = ledSinceNanos.computeIfAbsent(bucket, b -> now);
        if (now - since < REBALANCE_AFTER_NS || now < nextRebalanceNanos) {
            return;
        }
        ClusterConfig config = service.config();
        if (bucket >= config.dataPlane().buckets().size()) {
            return;
        }
        int preferred = config.dataPlane().buckets().get(bucket).members().getFirst();
        if (preferred == service.processId()) {
            return;
        }
        var container = config.containers().get(io.strata.config.ProcessIds.containerOf(preferred));
        boolean preferredUp = container != null && container.health() == io.strata.config.cluster.Health.UP
                && container.processes().stream().anyMatch(p -> p.id() == preferred && p.health() == io.strata.config.cluster.Health.UP);
        var upgrade = config.upgrade();
        boolean preferredSwitching = upgrade != null && upgrade.isActive() && upgrade.current() != null
                && upgrade.current() == io.strata.config.ProcessIds.containerOf(preferred);
        if (!preferredUp || preferredSwitching) {
            return;
        }
        nextRebalanceNanos = now + TimeUnit.SECONDS.toNanos(2);
        ledSinceNanos.remove(bucket);
        Thread.ofVirtual().name("rebalance-" + bucket).start(() -> service.groups().transferLeadership(bucket, preferred, 5_000));
    }

    /** Raises every drive's fence for the bucket to this leader's term, then resumes its transactions. */
    private void fence(int bucket) {
        if (!fencing.add(bucket)) {
            return;
        }
        long term = service.groups().term(bucket);
        List<DriveEntry> drives = new ArrayList<>(service.config().dataPlane().drives().values());
        int[] outstanding = {drives.size()};
        Runnable done = () -> {
            fencing.remove(bucket);
            if (service.groups().isLeader(bucket) && service.groups().term(bucket) == term) {
                fencedTerms.put(bucket, term);
                LOG.info("leading bucket {} in term {}", bucket, term);
                service.transactions().resume(bucket);
            }
        };
        if (drives.isEmpty()) {
            done.run();
            return;
        }
        for (DriveEntry drive : drives) {
            service.drives().fence(new DriveFrames.FenceRequest(drive.id(), bucket, term), (status, data) -> {
                if (--outstanding[0] == 0) {
                    done.run();
                }
            });
        }
    }

    private void createRoots(int bucket) {
        ClusterConfig config = service.config();
        int bucketCount = config.dataPlane().buckets().size();
        for (FilesystemEntry fs : config.dataPlane().filesystems().values()) {
            if (Inodes.rootBucket(fs.id(), bucketCount) != bucket || rootsCreating.contains(fs.id())) {
                continue;
            }
            long root = Inodes.rootIno(fs.id(), bucketCount);
            try {
                service.read(bucket, s -> s.getattr(root));
                continue;
            } catch (FsException e) {
                if (e.errno() != Errno.ENOENT) {
                    continue;
                }
            }
            rootsCreating.add(fs.id());
            service.submit(bucket, new BucketCommand.CreateRoot(fs.id(), 0755, 0, 0, ComputeService.nowNs()), answer -> {
                rootsCreating.remove(fs.id());
                if (answer.errno() == 0) {
                    LOG.info("created the root of filesystem {} in bucket {}", fs.name(), bucket);
                }
            });
        }
    }

    private void dropDeletedFilesystems(int bucket) {
        Set<Integer> known = service.config().dataPlane().filesystems().keySet();
        for (FsUsage usage : service.read(bucket, s -> s.usages())) {
            if (!known.contains(usage.fsId())) {
                service.submit(bucket, new BucketCommand.DeleteFilesystem(usage.fsId()), answer -> { });
            }
        }
    }

    private void report(int bucket) {
        Map<Integer, Long> used = new java.util.TreeMap<>();
        service.read(bucket, s -> s.usages()).forEach(u -> used.put(u.fsId(), u.usedBytes()));
        long degraded = service.read(bucket, s -> (long) s.degradedStripeCount());
        String fingerprint = used + "/" + degraded + "/" + service.processId();
        if (fingerprint.equals(lastReports.get(bucket))) {
            return;
        }
        lastReports.put(bucket, fingerprint);
        service.context().controlPlane().submit(new ConfigCommand.ReportBucketUsage(bucket, used, degraded, service.processId()))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        service.context().execute(() -> lastReports.remove(bucket));
                    }
                });
    }

    /** Asks the control plane for more of a filesystem's capacity; {@code then} learns whether the write may go on. */
    /**
     * What an ask for capacity or regions came to. UNAVAILABLE (the control plane or the bucket's
     * log did not answer, as while a management process's container is switched) is no answer
     * about space: the write is retried, never failed with ENOSPC.
     */
    enum Grant {
        GRANTED,
        REFUSED,
        UNAVAILABLE
    }

    void reserveCapacity(int bucket, int fsId, long needed, Consumer<Grant> then) {
        String key = "capacity/" + bucket + "/" + fsId;
        if (!join(key, then)) {
            return;
        }
        FilesystemEntry fs = service.config().dataPlane().filesystems().get(fsId);
        if (fs == null) {
            complete(key, Grant.REFUSED);
            return;
        }
        int buckets = Math.max(1, service.config().dataPlane().buckets().size());
        long chunk = Math.max(1L << 20, Math.min(256L << 20, fs.capacityBytes() / (8L * buckets)));
        long ask = Math.max(needed, chunk);
        service.context().controlPlane().submit(new ConfigCommand.ReserveCapacity(fsId, bucket, ask))
                .whenComplete((reply, error) -> service.context().execute(() -> {
                    if (error != null) {
                        complete(key, Grant.UNAVAILABLE);
                        return;
                    }
                    long granted = reply.reply().asLong();
                    if (granted <= 0) {
                        complete(key, Grant.REFUSED);
                        return;
                    }
                    service.submit(bucket, new BucketCommand.CapacityGranted(fsId, granted), answer -> {
                        if (answer.errno() != 0) {
                            complete(key, Grant.UNAVAILABLE);
                        } else {
                            complete(key, granted >= needed || service.read(bucket, s -> s.capacityNeeded(fsId, needed)) == 0
                                    ? Grant.GRANTED : Grant.REFUSED);
                        }
                    });
                }));
    }

    /** Leases more regions of a drive for the bucket; {@code then} learns whether any were granted. */
    void leaseRegions(int bucket, int drive, Consumer<Grant> then) {
        String key = "regions/" + bucket + "/" + drive;
        if (!join(key, then)) {
            return;
        }
        service.context().controlPlane().submit(new ConfigCommand.LeaseRegions(bucket, drive, REGIONS_PER_LEASE))
                .whenComplete((reply, error) -> service.context().execute(() -> {
                    if (error != null) {
                        complete(key, Grant.UNAVAILABLE);
                        return;
                    }
                    List<Integer> regions = List.of(Json.fromTree(reply.reply(), Integer[].class));
                    DriveEntry entry = service.config().dataPlane().drives().get(drive);
                    if (regions.isEmpty() || entry == null) {
                        LOG.warn("drive {} has no free region for bucket {}", drive, bucket);
                        complete(key, Grant.REFUSED);
                        return;
                    }
                    service.submit(bucket, new BucketCommand.RegionsLeased(drive, regions, entry.regionBytes(),
                            entry.firstRegionAddress()), answer -> complete(key, answer.errno() == 0 ? Grant.GRANTED : Grant.UNAVAILABLE));
                }));
    }

    /** Coalesces concurrent requests for the same lease: only the first asks, all learn the outcome. */
    private boolean join(String key, Consumer<Grant> then) {
        List<Consumer<Grant>> waiting = pendingLeases.get(key);
        if (waiting != null) {
            waiting.add(then);
            return false;
        }
        List<Consumer<Grant>> first = new ArrayList<>();
        first.add(then);
        pendingLeases.put(key, first);
        return true;
    }

    private void complete(String key, Grant ok) {
        List<Consumer<Grant>> waiting = pendingLeases.remove(key);
        if (waiting != null) {
            waiting.forEach(then -> then.accept(ok));
        }
    }

    static boolean isUp(DriveClient drives, int status) {
        return DriveClient.isOk(status);
    }
}
