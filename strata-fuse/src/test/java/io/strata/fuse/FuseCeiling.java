package io.strata.fuse;

import io.strata.runtime.Clock;
import io.strata.runtime.SafeFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: measures the FUSE ceiling once, by hand, with the discard backend (no storage work).
 * Run from the module directory after {@code mvn test-compile}:
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:<deps> io.strata.fuse.FuseCeiling [rounds]}.
 * Prints dd throughput (1 MiB requests, FOPEN_DIRECT_IO, O_DIRECT) and a lookup+stat rate.
 */
public final class FuseCeiling {
    private FuseCeiling() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = Files.createTempDirectory("strata-fuse-ceiling");
        try {
            throughput(dir, rounds);
            lookups(dir, rounds);
        } finally {
            SafeFiles.deleteRecursively(dir);
        }
    }

    private static void throughput(Path dir, int rounds) {
        MemoryFilesystem fs = new MemoryFilesystem(MemoryFilesystem.Options.defaults()
                .withStorage(MemoryFilesystem.Storage.DISCARD).withDirectIo(true), Clock.SYSTEM);
        try (FuseMount mount = FuseMount.mount(dir, MountOptions.defaults(), fs)) {
            System.out.println("protocol 7." + mount.session().parameters().protocolMinor() + ", max write "
                    + mount.session().parameters().maxWriteBytes());
            for (int i = 0; i < rounds; i++) {
                System.out.println("write: " + Shell.run(dir,
                        "dd if=/dev/zero of=f bs=1M count=2000 oflag=direct 2>&1 | tail -1").out());
                System.out.println("read:  " + Shell.run(dir,
                        "dd if=f of=/dev/null bs=1M iflag=direct 2>&1 | tail -1").out());
            }
        }
    }

    private static void lookups(Path dir, int rounds) {
        MemoryFilesystem fs = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withTimeouts(0, 0), Clock.SYSTEM);
        int files = 20_000;
        for (int i = 0; i < files; i++) {
            fs.seedFile("d/f" + i, new byte[0]);
        }
        try (FuseMount mount = FuseMount.mount(dir, MountOptions.defaults(), fs)) {
            System.out.println(files + " files under " + mount.mountpoint() + "/d");
            String script = "import os,time\n"
                    + "names=['d/f%d' % i for i in range(" + files + ")]\n"
                    + "t=time.perf_counter()\n"
                    + "for n in names: os.stat(n)\n"
                    + "print('stat (lookup+getattr, timeouts 0): %.0f/s' % (len(names)/(time.perf_counter()-t)))\n";
            for (int i = 0; i < rounds; i++) {
                System.out.println(Shell.run(dir, "python3 -c \"" + script + "\"").out());
            }
        }
    }
}
