package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.Unlink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Paging through a large directory while it changes: no existing name skipped or repeated. */
class ReaddirTest {
    private static final int ENTRIES = 100_000;
    private static final int PAGE = 1000;

    @Test
    void pagesThroughAHundredThousandEntriesWhileNamesComeAndGo() {
        long seed = Seeds.next();
        SplittableRandom random = new SplittableRandom(seed);
        Fixture f = Fixture.oneBucket();
        List<String> initial = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            String name = "file-" + i;
            f.file(f.root, name);
            initial.add(name);
        }
        Set<String> removed = new HashSet<>();
        Set<String> everExisted = new HashSet<>(initial);
        Set<String> seen = new HashSet<>();
        long cookie = 0;
        int added = 0;
        for (int pages = 0; pages <= ENTRIES; pages++) {
            List<DirEntry> page = f.state.readdir(f.root, cookie, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (DirEntry entry : page) {
                assertThat(entry.cookie()).as("seed %d", seed).isGreaterThan(cookie);
                cookie = entry.cookie();
                assertThat(seen.add(entry.name())).as("seed %d: %s seen twice", seed, entry.name()).isTrue();
                assertThat(everExisted.contains(entry.name())).as("seed %d: %s never existed", seed, entry.name()).isTrue();
            }
            int changes = pages < ENTRIES / PAGE ? 20 : 0;
            for (int change = 0; change < changes; change++) {
                String victim = initial.get(random.nextInt(ENTRIES));
                if (removed.add(victim)) {
                    f.apply(new Unlink(f.root, victim, f.now(), RequestOrigin.NONE));
                }
                String fresh = "new-" + added++;
                everExisted.add(fresh);
                f.file(f.root, fresh);
                String renamed = initial.get(random.nextInt(ENTRIES));
                if (!removed.contains(renamed)) {
                    // A name that moves is a removal plus an insertion, as far as a listing can tell.
                    removed.add(renamed);
                    everExisted.add(renamed + "-moved");
                    f.apply(new Rename(f.root, renamed, f.root, renamed + "-moved", 0, f.now(), RequestOrigin.NONE));
                }
            }
        }
        for (String name : initial) {
            if (!removed.contains(name)) {
                assertThat(seen.contains(name)).as("seed %d: %s was skipped", seed, name).isTrue();
            }
        }
        assertThat(seen.contains("new-" + (added - 1))).as("seed %d: entries added during the listing come after it", seed).isTrue();
    }

    @Test
    void cookiesStartAfterTheFrontendsDotEntries() {
        Fixture f = Fixture.oneBucket();
        f.file(f.root, "a");
        assertThat(f.state.readdir(f.root, 0, 10).getFirst().cookie()).isEqualTo(Directory.FIRST_COOKIE);
        assertThat(f.state.readdir(f.root, 2, 10)).hasSize(1);
        assertThat(f.state.readdir(f.root, Directory.FIRST_COOKIE, 10)).isEmpty();
    }
}
