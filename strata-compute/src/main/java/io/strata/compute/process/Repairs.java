package io.strata.compute.process;

import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.Health;
import io.strata.drive.client.DriveClient;
import io.strata.drive.wire.DriveFrames;
import io.strata.erasure.ErasureCoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repairs degraded stripes: those written while some of their drives were unavailable. When such
 * a drive is back, the bucket's leader reads D present chunks of each stripe that misses a shard
 * there, rebuilds the missing shards, writes them to the addresses the stripe already owns, and
 * records the repair in the bucket's log. Only stripes written while the drive was away are
 * touched: nothing else needs work.
 */
final class Repairs {
    private static final int MAX_CONCURRENT = 8;

    private final ComputeService service;
    private final Set<Long> inProgress = new HashSet<>();
    private final Map<Long, ErasureCoder> coders = new HashMap<>();

    Repairs(ComputeService service) {
        this.service = service;
    }

    void poll(int bucket) {
        if (inProgress.size() >= MAX_CONCURRENT) {
            return;
        }
        ClusterConfig config = service.config();
        for (DriveEntry drive : config.dataPlane().drives().values()) {
            if (!isUp(config, drive.id())) {
                continue;
            }
            for (Stripe stripe : service.read(bucket, s -> s.stripesMissingOn(drive.id()))) {
                if (inProgress.size() >= MAX_CONCURRENT) {
                    return;
                }
                if (inProgress.add(stripe.extentId())) {
                    repair(bucket, stripe);
                }
            }
        }
    }

    static boolean isUp(ClusterConfig config, int drive) {
        DriveEntry entry = config.dataPlane().drives().get(drive);
        if (entry == null || !entry.active()) {
            return false;
        }
        ContainerEntry container = config.containers().get(entry.containerId());
        return container != null && container.health() == Health.UP;
    }

    private void repair(int bucket, Stripe stripe) {
        ClusterConfig config = service.config();
        int total = stripe.totalShards();
        byte[][] shards = new byte[total][];
        boolean[] present = new boolean[total];
        List<Integer> sources = new ArrayList<>();
        long repairable = 0;
        int implicit = 0;
        for (int shard = 0; shard < total; shard++) {
            if (!stripe.isStored(shard)) {
                present[shard] = true;
                implicit++;
            } else if (stripe.isMissing(shard)) {
                if (isUp(config, stripe.shards().get(shard).drive())) {
                    repairable |= 1L << shard;
                }
            } else if (isUp(config, stripe.shards().get(shard).drive())) {
                sources.add(shard);
            }
        }
        int needed = stripe.dataShards() - implicit;
        if (repairable == 0 || sources.size() < needed) {
            inProgress.remove(stripe.extentId());
            return;
        }
        long targets = repairable;
        int[] outstanding = {needed};
        boolean[] failed = {false};
        for (int shard : sources.subList(0, needed)) {
            ChunkAddress address = stripe.shards().get(shard);
            service.drives().read(new DriveFrames.ReadRequest(address.drive(), address.address(), stripe.extentId(), shard, 0,
                    stripe.chunkBytes()), (status, data) -> {
                        if (DriveClient.isOk(status) && data.remaining() == stripe.chunkBytes()) {
                            shards[shard] = new byte[stripe.chunkBytes()];
                            data.get(shards[shard]);
                            present[shard] = true;
                        } else {
                            failed[0] = true;
                        }
                        if (--outstanding[0] == 0) {
                            if (failed[0]) {
                                inProgress.remove(stripe.extentId());
                            } else {
                                rebuildAndWrite(bucket, stripe, shards, present, targets);
                            }
                        }
                    });
        }
    }

    private void rebuildAndWrite(int bucket, Stripe stripe, byte[][] shards, boolean[] present, long targets) {
        for (int shard = 0; shard < stripe.totalShards(); shard++) {
            if ((targets & (1L << shard)) != 0) {
                shards[shard] = new byte[stripe.chunkBytes()];
            }
        }
        coder(stripe).reconstruct(shards, present, 0, stripe.chunkBytes());
        long term = service.groups().term(bucket);
        List<Integer> toWrite = new ArrayList<>();
        for (int shard = 0; shard < stripe.totalShards(); shard++) {
            if ((targets & (1L << shard)) != 0) {
                toWrite.add(shard);
            }
        }
        int[] outstanding = {toWrite.size()};
        long[] written = {0};
        for (int shard : toWrite) {
            ChunkAddress address = stripe.shards().get(shard);
            DriveFrames.WriteHeader header = new DriveFrames.WriteHeader(address.drive(), address.address(), stripe.extentId(), shard,
                    bucket, term, stripe.chunkBytes());
            service.drives().write(header, java.nio.ByteBuffer.wrap(shards[shard]), null, (status, data) -> {
                if (DriveClient.isOk(status)) {
                    written[0] |= 1L << shard;
                }
                if (--outstanding[0] == 0) {
                    if (written[0] == 0) {
                        inProgress.remove(stripe.extentId());
                        return;
                    }
                    service.submit(bucket, new BucketCommand.ShardsRepaired(stripe.extentId(), written[0]),
                            answer -> {
                                inProgress.remove(stripe.extentId());
                                poll(bucket);
                            });
                }
            });
        }
    }

    private ErasureCoder coder(Stripe stripe) {
        long key = ((long) stripe.dataShards() << 32) | stripe.parityShards();
        return coders.computeIfAbsent(key, k -> ErasureCoder.create(stripe.dataShards(), stripe.parityShards()));
    }
}
