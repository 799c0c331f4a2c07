package io.strata.drive.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedQueueTest {
    @Test
    void refusesBeyondItsCapacityAndKeepsFifoOrder() {
        BoundedQueue<Integer> queue = new BoundedQueue<>(3); // rounded up to 4
        assertThat(queue.isEmpty()).isTrue();
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < 4; i++) {
                assertThat(queue.offer(i)).isTrue();
            }
            assertThat(queue.offer(99)).isFalse();
            assertThat(queue.size()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(queue.poll()).isEqualTo(i);
            }
            assertThat(queue.poll()).isNull();
            assertThat(queue.isEmpty()).isTrue();
        }
    }

    @Test
    void everyItemOfManyProducersReachesExactlyOneOfManyConsumers() throws Exception {
        int producers = 3;
        int perProducer = 50_000;
        BoundedQueue<Integer> queue = new BoundedQueue<>(64);
        ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
        AtomicInteger remaining = new AtomicInteger(producers * perProducer);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    while (!queue.offer(base + i)) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (remaining.get() > 0 && System.nanoTime() < deadline) {
                    Integer item = queue.poll();
                    if (item != null) {
                        received.add(item);
                        remaining.decrementAndGet();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        }
        BitSet seen = new BitSet();
        for (int item : received) {
            assertThat(seen.get(item)).as("item %d received twice", item).isFalse();
            seen.set(item);
        }
        assertThat(seen.cardinality()).isEqualTo(producers * perProducer);
        assertThat(queue.poll()).isNull();
    }
}
