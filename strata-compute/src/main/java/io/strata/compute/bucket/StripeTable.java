package io.strata.compute.bucket;

import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stripes this bucket's files refer to, each with the number of pieces that reference it, and
 * an index of degraded stripes by the drive of each missing shard (what to repair when that drive
 * returns).
 */
final class StripeTable {
    private static final class Entry {
        Stripe stripe;
        int references;

        Entry(Stripe stripe) {
            this.stripe = stripe;
        }
    }

    private final TreeMap<Long, Entry> byId = new TreeMap<>();
    private final TreeMap<Integer, TreeSet<Long>> missingByDrive = new TreeMap<>();
    private final TreeSet<Long> degraded = new TreeSet<>();

    boolean contains(long extentId) {
        return byId.containsKey(extentId);
    }

    Stripe get(long extentId) {
        Entry entry = byId.get(extentId);
        if (entry == null) {
            throw new IllegalStateException("stripe " + extentId + " is not known");
        }
        return entry.stripe;
    }

    int references(long extentId) {
        Entry entry = byId.get(extentId);
        return entry == null ? 0 : entry.references;
    }

    /** Adds a new stripe with no references yet. */
    void register(Stripe stripe) {
        if (byId.putIfAbsent(stripe.extentId(), new Entry(stripe)) != null) {
            throw new IllegalStateException("stripe " + stripe.extentId() + " registered twice");
        }
        index(stripe);
    }

    void addReference(long extentId) {
        byId.get(extentId).references++;
    }

    /** Drops one reference; returns the stripe if that was the last one (it is then forgotten), else null. */
    Stripe release(long extentId) {
        Entry entry = byId.get(extentId);
        if (entry == null || entry.references <= 0) {
            throw new IllegalStateException("stripe " + extentId + " released without a reference");
        }
        if (--entry.references > 0) {
            return null;
        }
        byId.remove(extentId);
        unindex(entry.stripe);
        return entry.stripe;
    }

    /** Clears {@code mask} from the stripe's missing shards; returns the updated stripe. */
    Stripe repaired(long extentId, long mask) {
        Entry entry = byId.get(extentId);
        unindex(entry.stripe);
        entry.stripe = entry.stripe.withMissing(entry.stripe.missing() & ~mask);
        index(entry.stripe);
        return entry.stripe;
    }

    List<Stripe> missingOn(int drive) {
        List<Stripe> found = new ArrayList<>();
        for (long id : missingByDrive.getOrDefault(drive, new TreeSet<>())) {
            found.add(byId.get(id).stripe);
        }
        return found;
    }

    int degradedCount() {
        return degraded.size();
    }

    int count() {
        return byId.size();
    }

    Collection<Stripe> all() {
        List<Stripe> all = new ArrayList<>(byId.size());
        for (Entry entry : byId.values()) {
            all.add(entry.stripe);
        }
        return all;
    }

    Map<Long, Integer> referenceCounts() {
        Map<Long, Integer> counts = new TreeMap<>();
        byId.forEach((id, entry) -> counts.put(id, entry.references));
        return counts;
    }

    private void index(Stripe stripe) {
        if (!stripe.isDegraded()) {
            return;
        }
        degraded.add(stripe.extentId());
        for (int shard = 0; shard < stripe.totalShards(); shard++) {
            ChunkAddress chunk = stripe.shards().get(shard);
            if (stripe.isMissing(shard) && chunk != null) {
                missingByDrive.computeIfAbsent(chunk.drive(), d -> new TreeSet<>()).add(stripe.extentId());
            }
        }
    }

    private void unindex(Stripe stripe) {
        if (!degraded.remove(stripe.extentId())) {
            return;
        }
        for (ChunkAddress chunk : stripe.shards()) {
            if (chunk == null) {
                continue;
            }
            TreeSet<Long> ids = missingByDrive.get(chunk.drive());
            if (ids != null && ids.remove(stripe.extentId()) && ids.isEmpty()) {
                missingByDrive.remove(chunk.drive());
            }
        }
    }
}
