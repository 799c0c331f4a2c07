package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mount as shell tools see it: dd, cp, ls, stat, ln, mv, truncate, fallocate, mkfifo, mknod, rm. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShellToolsMountTest {
    private TestMount mounted;
    private Path outside;
    private Path mnt;

    @BeforeEach
    void mount() throws IOException {
        mounted = TestMount.mount(new MemoryFilesystem());
        mnt = mounted.dir;
        outside = Files.createTempDirectory("strata-fuse-outside");
    }

    @AfterEach
    void unmount() {
        try {
            assertThat(mounted.session().rejectedReplies()).isZero();
        } finally {
            mounted.close();
            SafeFiles.deleteRecursively(outside);
        }
    }

    private String sh(String command) {
        return Shell.ok(mnt, command);
    }

    @Test
    void ddWritesAndReadsBackWithOffsetsAndDirectIo() {
        Shell.ok(outside, "dd if=/dev/urandom of=src bs=64k count=48 status=none");
        sh("dd if=" + outside.resolve("src") + " of=f bs=1M status=none");
        assertThat(sh("cmp " + outside.resolve("src") + " f && echo same")).isEqualTo("same");
        sh("dd if=/dev/zero of=f bs=4k count=2 seek=3 conv=notrunc status=none");
        assertThat(sh("stat -c %s f")).isEqualTo(String.valueOf(48 * 65536));
        assertThat(sh("dd if=f bs=4k skip=3 count=2 status=none | tr -d '\\000' | wc -c")).isEqualTo("0");
        assertThat(sh("cmp -i 20480 " + outside.resolve("src") + " f && echo tail same")).isEqualTo("tail same");
        sh("dd if=" + outside.resolve("src") + " of=direct bs=1M oflag=direct status=none");
        assertThat(sh("dd if=direct bs=1M iflag=direct status=none | cmp - " + outside.resolve("src") + " && echo ok"))
                .isEqualTo("ok");
    }

    @Test
    void cpCopiesATreeInAndOutIntact() throws IOException {
        Shell.ok(outside, "mkdir -p tree/a/b tree/c && echo one > tree/a/one && echo two > tree/a/b/two"
                + " && ln -s ../a/one tree/c/link && chmod 640 tree/a/one && dd if=/dev/urandom of=tree/c/blob"
                + " bs=100k count=7 status=none");
        sh("cp -a " + outside.resolve("tree") + " copy");
        assertThat(Shell.run(mnt, "diff -r " + outside.resolve("tree") + " copy").exitCode()).isZero();
        assertThat(sh("readlink copy/c/link")).isEqualTo("../a/one");
        assertThat(sh("stat -c %a copy/a/one")).isEqualTo("640");
        sh("cp -a copy " + outside.resolve("back"));
        assertThat(Shell.run(outside, "diff -r tree back").exitCode()).isZero();
    }

    @Test
    void lsListsNamesTypesAndSizes() {
        sh("mkdir d && printf 12345 > d/five && touch d/empty && ln -s five d/link && mkdir d/sub");
        assertThat(sh("ls -f d | sort | tr '\\n' ' '")).isEqualTo(". .. empty five link sub");
        String long_ = sh("ls -la d");
        assertThat(long_).containsPattern("-rw-r--r-- +1 root root +5 .* five")
                .containsPattern("lrwxrwxrwx +1 root root +4 .* link -> five")
                .containsPattern("drwxr-xr-x +2 root root .* sub");
        assertThat(sh("ls -ld d")).startsWith("drwxr-xr-x 3 ");
    }

    @Test
    void statShowsTypeSizeLinksModeAndOwner() {
        sh("printf abc > f && chmod 600 f && chown 12:34 f && mkdir d && ln -s f s && mkfifo p && mknod c c 1 3");
        assertThat(sh("stat -c '%F|%s|%h|%a|%u|%g' f")).isEqualTo("regular file|3|1|600|12|34");
        assertThat(sh("stat -c '%F|%h|%a' d")).isEqualTo("directory|2|755");
        assertThat(sh("stat -c '%F|%s|%N' s")).isEqualTo("symbolic link|1|'s' -> 'f'");
        assertThat(sh("stat -c '%F' p")).isEqualTo("fifo");
        assertThat(sh("stat -c '%F|%t|%T' c")).isEqualTo("character special file|1|3");
        assertThat(sh("stat -f -c %T .")).isEqualTo("fuseblk");
    }

    @Test
    void lnMakesHardAndSymbolicLinks() {
        sh("echo data > a && ln a hard && ln -s a soft");
        assertThat(sh("stat -c %h a")).isEqualTo("2");
        assertThat(sh("stat -c %i a")).isEqualTo(sh("stat -c %i hard"));
        assertThat(sh("readlink soft")).isEqualTo("a");
        assertThat(sh("cat soft")).isEqualTo("data");
        sh("rm a");
        assertThat(sh("cat hard")).isEqualTo("data");
        assertThat(Shell.run(mnt, "cat soft").exitCode()).isNotZero();
        assertThat(Shell.run(mnt, "ln a2 x").err()).contains("No such file");
    }

    @Test
    void mvRenamesReplacesAndMovesDirectories() {
        sh("echo first > a && echo second > b && mkdir -p d1/inner d2 && echo deep > d1/inner/f");
        sh("mv a b");
        assertThat(sh("cat b")).isEqualTo("first");
        assertThat(Shell.run(mnt, "test -e a").exitCode()).isNotZero();
        sh("mv d1 d2/");
        assertThat(sh("cat d2/d1/inner/f")).isEqualTo("deep");
        assertThat(sh("stat -c %h d2")).isEqualTo("3");
        assertThat(Shell.run(mnt, "mv d2 d2/d1/").err()).contains("subdirectory of itself");
    }

    @Test
    void truncateGrowsAndShrinks() {
        sh("printf 0123456789 > f && truncate -s 4 f");
        assertThat(sh("cat f")).isEqualTo("0123");
        sh("truncate -s 10M f");
        assertThat(sh("stat -c %s f")).isEqualTo(String.valueOf(10 * 1024 * 1024));
        assertThat(sh("tail -c +5 f | tr -d '\\000' | wc -c")).isEqualTo("0");
        sh("truncate -s +3 f");
        assertThat(sh("stat -c %s f")).isEqualTo(String.valueOf(10 * 1024 * 1024 + 3));
        assertThat(Shell.run(mnt, "mkdir d && truncate -s 0 d").err()).contains("Is a directory");
    }

    @Test
    void fallocateExtendsAndPunchesAndRefusesOtherModes() {
        sh("fallocate -l 1M f");
        assertThat(sh("stat -c %s f")).isEqualTo("1048576");
        sh("dd if=/dev/urandom of=g bs=64k count=4 status=none && fallocate -p -o 0 -l 131072 g");
        assertThat(sh("stat -c %s g")).isEqualTo("262144");
        assertThat(sh("head -c 131072 g | tr -d '\\000' | wc -c")).isEqualTo("0");
        assertThat(sh("tail -c 131072 g | tr -d '\\000' | wc -c")).isNotEqualTo("0");
        assertThat(Shell.run(mnt, "fallocate -z -o 0 -l 4096 g").err()).contains("not supported");
    }

    @Test
    void rmRemovesATree() {
        sh("mkdir -p t/a/b/c && touch t/a/x t/a/b/y t/a/b/c/z && ln -s x t/a/l");
        sh("rm -r t");
        assertThat(sh("ls -A")).isEmpty();
        assertThat(sh("stat -c %h .")).isEqualTo("2");
    }
}
