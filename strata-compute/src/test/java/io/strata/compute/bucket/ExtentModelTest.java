package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.bucket.BucketCommand.SetAttr;
import io.strata.compute.layout.Stripe;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random writes and truncates of one file against a byte-by-byte model of which stripe byte backs
 * each file byte: the layout, stripe references, space and capacity must all agree with it.
 */
class ExtentModelTest {
    private static final int FILE_BYTES = 48 * 1024;
    private static final int STEPS = 400;

    @Test
    void layoutAndReferencesFollowAByteModel() {
        long seed = Seeds.next();
        SplittableRandom random = new SplittableRandom(seed);
        Fixture f = Fixture.oneBucket();
        f.provision(4, 1L << 30);
        long file = f.file(f.root, "f");
        long[] model = new long[FILE_BYTES];
        long size = 0;
        long leased = f.state.space().leasedBytes(0);
        for (int step = 0; step < STEPS; step++) {
            String context = "seed " + seed + " step " + step;
            if (random.nextInt(8) == 0) {
                long newSize = random.nextInt(FILE_BYTES);
                f.apply(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, newSize, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
                if (newSize < size) {
                    Arrays.fill(model, (int) newSize, (int) size, 0);
                }
                size = newSize;
            } else {
                int offset = random.nextInt(FILE_BYTES - 1);
                int length = 1 + random.nextInt(Math.min(16 * 1024, FILE_BYTES - offset));
                int stripeOffset = random.nextInt(1000);
                Stripe stripe = f.stripe(f.state.nextExtentId(), stripeOffset + length);
                f.apply(new CommitExtent(file, offset, length, stripeOffset, stripe, 0, f.now(), RequestOrigin.NONE));
                long counter = Inodes.counterOf(stripe.extentId());
                for (int i = 0; i < length; i++) {
                    model[offset + i] = (counter << 32) | (stripeOffset + i + 1);
                }
                size = Math.max(size, offset + length);
            }
            check(f, file, model, size, leased, context);
        }
    }

    private static void check(Fixture f, long file, long[] model, long size, long leased, String context) {
        assertThat(f.state.getattr(file).size()).as(context).isEqualTo(size);
        long[] seen = new long[FILE_BYTES];
        long position = 0;
        for (Segment segment : f.state.layout(file, 0, FILE_BYTES * 2L)) {
            assertThat(segment.fileOffset()).as(context).isEqualTo(position);
            if (segment instanceof Segment.Data data) {
                long counter = Inodes.counterOf(data.view().stripe().extentId());
                for (long i = 0; i < data.length(); i++) {
                    seen[(int) (data.fileOffset() + i)] = (counter << 32) | (data.view().stripeOffset() + i + 1);
                }
            }
            position += segment.length();
        }
        assertThat(position).as(context).isEqualTo(size);
        assertThat(seen).as(context).isEqualTo(model);
        Set<Long> live = new HashSet<>();
        long used = 0;
        for (long value : model) {
            if (value != 0) {
                live.add(value >>> 32);
                used++;
            }
        }
        assertThat(f.state.stripeCount()).as(context).isEqualTo(live.size());
        for (long counter : live) {
            assertThat(f.state.stripeReferences(Inodes.id(0, counter))).as(context).isPositive();
        }
        assertThat(f.state.usage(Fixture.FS).usedBytes()).as(context).isEqualTo(used);
        long chunkSpan = 4096 + Fixture.CHUNK_BYTES;
        assertThat(f.state.space().freeBytes(Fixture.DATA)).as(context + ": parity drive holds one chunk per stripe")
                .isEqualTo(leased - live.size() * chunkSpan);
    }
}
