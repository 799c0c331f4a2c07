package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.SetAttr;
import io.strata.compute.bucket.BucketCommand.Unlink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random single-bucket namespace operations against a small reference model of a POSIX tree:
 * every answer (success or errno) and the whole tree after every operation must agree.
 */
class NamespaceModelTest {
    private static final String[] NAMES = {"a", "b", "c", "d", ".", "x/y"};
    private static final int RUNS = 20;
    private static final int STEPS = 400;

    /** The reference model: plain objects, the rules written out as POSIX states them. */
    private static final class Node {
        final long ino;
        final FileType type;
        int links = 1;
        long size;
        Node parent;
        final TreeMap<String, Node> children = new TreeMap<>();

        Node(long ino, FileType type) {
            this.ino = ino;
            this.type = type;
        }

        boolean isDir() {
            return type == FileType.DIR;
        }

        int nlink() {
            return isDir() ? 2 + (int) children.values().stream().filter(Node::isDir).count() : links;
        }
    }

    private static final class FsError extends RuntimeException {
        final int errno;

        FsError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    private final Map<Long, Node> nodes = new TreeMap<>();
    private Fixture f;
    private SplittableRandom random;

    private static void fail(int errno) {
        throw new FsError(errno);
    }

    private Node dir(long ino) {
        Node node = nodes.get(ino);
        if (node == null) {
            fail(ENOENT);
        }
        if (!node.isDir()) {
            fail(ENOTDIR);
        }
        return node;
    }

    private static void checkName(String name) {
        if (name.equals(".") || name.contains("/")) {
            fail(EINVAL);
        }
    }

    private static boolean isAncestorOrSelf(Node candidate, Node of) {
        for (Node at = of; at != null; at = at.parent) {
            if (at == candidate) {
                return true;
            }
        }
        return false;
    }

    private void remove(Node parent, String name) {
        Node child = parent.children.remove(name);
        child.links--;
        if (child.isDir() || child.links == 0) {
            nodes.remove(child.ino);
        }
    }

    // ---------------------------------------------------------------- operations: model, then bucket

    private void create(long parentIno, String name, FileType type, boolean exclusive, long newIno) {
        Node parent = dir(parentIno);
        checkName(name);
        Node existing = parent.children.get(name);
        if (existing != null) {
            if (exclusive || type != FileType.FILE || existing.type != FileType.FILE) {
                fail(EEXIST);
            }
            return;
        }
        Node node = new Node(newIno, type);
        if (type == FileType.DIR) {
            node.parent = parent;
        }
        if (type == FileType.SYMLINK) {
            node.size = ("t" + name).length();
        }
        parent.children.put(name, node);
        nodes.put(newIno, node);
    }

    private void unlink(long parentIno, String name, boolean directory) {
        Node parent = dir(parentIno);
        checkName(name);
        Node child = parent.children.get(name);
        if (child == null) {
            fail(ENOENT);
        }
        if (directory && !child.isDir()) {
            fail(ENOTDIR);
        }
        if (!directory && child.isDir()) {
            fail(EISDIR);
        }
        if (directory && !child.children.isEmpty()) {
            fail(ENOTEMPTY);
        }
        remove(parent, name);
    }

    private void link(long ino, long parentIno, String name) {
        Node parent = dir(parentIno);
        checkName(name);
        if (parent.children.containsKey(name)) {
            fail(EEXIST);
        }
        Node target = nodes.get(ino);
        if (target == null) {
            fail(ENOENT);
        }
        if (target.isDir()) {
            fail(EPERM);
        }
        target.links++;
        parent.children.put(name, target);
    }

    private void rename(long fromIno, String name, long toIno, String newName, int flags) {
        Node from = dir(fromIno);
        checkName(name);
        checkName(newName);
        Node to = dir(toIno);
        Node source = from.children.get(name);
        if (source == null) {
            fail(ENOENT);
        }
        Node target = to.children.get(newName);
        if (target == source) {
            return;
        }
        if (flags == Rename.NOREPLACE && target != null) {
            fail(EEXIST);
        }
        if (flags == Rename.EXCHANGE) {
            if (target == null) {
                fail(ENOENT);
            }
            if (from != to && (source.isDir() && isAncestorOrSelf(source, to) || target.isDir() && isAncestorOrSelf(target, from))) {
                fail(EINVAL);
            }
            from.children.put(name, target);
            to.children.put(newName, source);
            if (from != to) {
                if (source.isDir()) {
                    source.parent = to;
                }
                if (target.isDir()) {
                    target.parent = from;
                }
            }
            return;
        }
        if (target != null && source.isDir() && !target.isDir()) {
            fail(ENOTDIR);
        }
        if (target != null && !source.isDir() && target.isDir()) {
            fail(EISDIR);
        }
        if (source.isDir() && from != to && isAncestorOrSelf(source, to)) {
            fail(EINVAL);
        }
        if (target != null && target.isDir() && !target.children.isEmpty()) {
            fail(ENOTEMPTY);
        }
        if (target != null) {
            remove(to, newName);
        }
        from.children.remove(name);
        to.children.put(newName, source);
        if (source.isDir()) {
            source.parent = to;
        }
    }

    private void truncate(long ino, long size) {
        Node node = nodes.get(ino);
        if (node == null) {
            fail(ENOENT);
        }
        if (node.isDir()) {
            fail(EISDIR);
        }
        if (node.type != FileType.FILE) {
            fail(EINVAL);
        }
        node.size = size;
    }

    // ---------------------------------------------------------------- the run

    @Test
    void theBucketAgreesWithTheModel() {
        long base = Seeds.next();
        for (int run = 0; run < RUNS; run++) {
            long seed = base + run;
            random = new SplittableRandom(seed);
            f = Fixture.oneBucket();
            nodes.clear();
            Node root = new Node(f.root, FileType.DIR);
            nodes.put(f.root, root);
            for (int step = 0; step < STEPS; step++) {
                step("seed " + seed + " step " + step);
            }
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void step(String context) {
        List<Long> all = new ArrayList<>(nodes.keySet());
        List<Long> dirs = all.stream().filter(ino -> nodes.get(ino).isDir()).toList();
        long dir = random.nextInt(20) == 0 ? pick(all) : pick(dirs);
        long other = random.nextInt(20) == 0 ? pick(all) : pick(dirs);
        long anyIno = random.nextInt(20) == 0 ? Inodes.id(0, 9999) : pick(all);
        String name = NAMES[random.nextInt(random.nextInt(10) == 0 ? NAMES.length : 4)];
        String newName = NAMES[random.nextInt(random.nextInt(10) == 0 ? NAMES.length : 4)];
        long newIno = f.state.nextInoNumberForTests();
        long time = f.now();
        switch (random.nextInt(8)) {
            case 0, 1 -> {
                FileType type = new FileType[] {FileType.FILE, FileType.DIR, FileType.SYMLINK, FileType.FIFO}[random.nextInt(4)];
                boolean exclusive = random.nextBoolean();
                check(context, new Create(dir, name, type, 0640, 1, 2, 0, "t" + name, exclusive, time, RequestOrigin.NONE),
                        () -> create(dir, name, type, exclusive, newIno));
            }
            case 2 -> check(context, new Unlink(dir, name, time, RequestOrigin.NONE), () -> unlink(dir, name, false));
            case 3 -> check(context, new Rmdir(dir, name, time, RequestOrigin.NONE), () -> unlink(dir, name, true));
            case 4 -> check(context, new Link(anyIno, dir, name, time, RequestOrigin.NONE), () -> link(anyIno, dir, name));
            case 5 -> {
                long size = random.nextInt(3) * 1000L;
                check(context, new SetAttr(anyIno, SetAttr.SIZE, 0, 0, 0, size, 0, 0, 0, 0, time, RequestOrigin.NONE),
                        () -> truncate(anyIno, size));
            }
            default -> {
                int flags = new int[] {0, 0, Rename.NOREPLACE, Rename.EXCHANGE}[random.nextInt(4)];
                check(context, new Rename(dir, name, other, newName, flags, time, RequestOrigin.NONE),
                        () -> rename(dir, name, other, newName, flags));
            }
        }
        compareTrees(context);
    }

    private void check(String context, BucketCommand command, Runnable model) {
        int expected = 0;
        try {
            model.run();
        } catch (FsError error) {
            expected = error.errno;
        }
        int actual = 0;
        try {
            f.state.apply(command);
        } catch (FsException refusal) {
            actual = refusal.errno();
        }
        assertThat(Errno.name(actual)).as("%s: %s", context, command).isEqualTo(Errno.name(expected));
    }

    private void compareTrees(String context) {
        assertThat(f.state.inodeNumbers()).as(context).containsExactlyElementsOf(nodes.keySet());
        for (Node node : nodes.values()) {
            Attributes attrs = f.state.getattr(node.ino);
            assertThat(attrs.type()).as(context).isEqualTo(node.type);
            assertThat(attrs.nlink()).as("%s: nlink of %s", context, Inodes.format(node.ino)).isEqualTo(node.nlink());
            assertThat(attrs.size()).as(context).isEqualTo(node.size);
            if (node.isDir()) {
                assertThat(attrs.parent()).as(context).isEqualTo(node.parent == null ? node.ino : node.parent.ino);
                Map<String, Long> entries = new TreeMap<>();
                f.state.readdir(node.ino, 0, 1000).forEach(e -> entries.put(e.name(), e.ino()));
                Map<String, Long> expected = new TreeMap<>();
                node.children.forEach((n, child) -> expected.put(n, child.ino));
                assertThat(entries).as("%s: entries of %s", context, Inodes.format(node.ino)).isEqualTo(expected);
            }
        }
    }
}
