package io.strata.drive.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free, many-producer many-consumer array queue (D. Vyukov's design: each slot
 * carries a sequence number saying whether it is free for the producer or filled for the consumer
 * of a given lap). Neither side ever blocks: {@code offer} answers false when full, {@code poll}
 * null when empty.
 *
 * <p>Our own rather than Agrona's concurrent queues because those need
 * {@code --add-exports java.base/jdk.internal.misc} on every JVM, which Strata's flags do not give.
 */
final class BoundedQueue<E> {
    private final int mask;
    private final AtomicReferenceArray<E> items;
    private final AtomicLongArray sequences;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** {@code capacity} is rounded up to a power of two. */
    BoundedQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.mask = size - 1;
        this.items = new AtomicReferenceArray<>(size);
        this.sequences = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequences.set(i, i);
        }
    }

    boolean offer(E item) {
        long position = tail.get();
        while (true) {
            int slot = (int) position & mask;
            long lag = sequences.get(slot) - position;
            if (lag == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    items.lazySet(slot, item);
                    sequences.set(slot, position + 1);
                    return true;
                }
                position = tail.get();
            } else if (lag < 0) {
                return false;
            } else {
                position = tail.get();
            }
        }
    }

    E poll() {
        long position = head.get();
        while (true) {
            int slot = (int) position & mask;
            long lag = sequences.get(slot) - (position + 1);
            if (lag == 0) {
                if (head.compareAndSet(position, position + 1)) {
                    E item = items.get(slot);
                    items.lazySet(slot, null);
                    sequences.set(slot, position + mask + 1);
                    return item;
                }
                position = head.get();
            } else if (lag < 0) {
                return null;
            } else {
                position = head.get();
            }
        }
    }

    /** May briefly answer false while an offer is completing (poll then answers null); never true wrongly for long. */
    boolean isEmpty() {
        return head.get() >= tail.get();
    }

    int size() {
        return (int) Math.max(0, tail.get() - head.get());
    }
}
