package io.strata.resources;

import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generator produced: the resource files in order (drives, compute, frontend; or
 * {@code default}) and the server they were checked against. Nothing is on disk until
 * {@link #write}, and a refusal happens before one exists, so a refused run writes nothing.
 */
public record GeneratedResources(List<ResourceFile> files, ServerIdentity server) {
    public GeneratedResources {
        files = List.copyOf(files);
    }

    public static String fileName(ResourceFile file) {
        return file.name() + ".json";
    }

    public List<String> fileNames() {
        return files.stream().map(GeneratedResources::fileName).toList();
    }

    /** The bytes {@link #write} puts in a file: pretty JSON with sorted keys, as {@link ResourceFile#write} writes it. */
    public static String render(ResourceFile file) {
        return Json.toPrettyString(file) + "\n";
    }

    /**
     * Writes every file into {@code folder} (created if missing), replacing files of the same name
     * and leaving other files alone. All files are written and synced beside their targets before
     * the first is renamed into place, so a failure while writing leaves the folder as it was.
     *
     * @return the paths written, in order
     */
    public List<Path> write(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw StrataException.invalid("cannot write resource files into %s: it is not a folder", folder);
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw StrataException.invalid("cannot create folder %s: %s", folder, e.getMessage());
        }
        List<Path[]> staged = new ArrayList<>();
        try {
            for (ResourceFile file : files) {
                Path target = folder.resolve(fileName(file));
                Path temp = folder.resolve("." + fileName(file) + ".tmp" + ProcessHandle.current().pid());
                staged.add(new Path[] {temp, target});
                writeSynced(temp, render(file));
            }
        } catch (IOException e) {
            staged.forEach(pair -> deleteQuietly(pair[0]));
            throw StrataException.invalid("cannot write resource files into %s: %s", folder, e.getMessage());
        }
        List<Path> written = new ArrayList<>();
        for (Path[] pair : staged) {
            move(pair[0], pair[1]);
            written.add(pair[1]);
        }
        return written;
    }

    private static void writeSynced(Path file, String content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void move(Path temp, Path target) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw StrataException.invalid("cannot move %s to %s: %s", temp, target, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the write error is the one worth reporting
        }
    }
}
