package io.strata.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.runtime.Json;
import io.strata.runtime.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CLI's own folder ({@code $STRATA_HOME}, by default {@code ~/.strata}; the {@code ./strata}
 * script points it into the clone): login tokens per cluster (0600) and the sandbox.
 */
public record StrataHome(Path root) {
    public static StrataHome fromEnvironment() {
        String configured = System.getenv("STRATA_HOME");
        Path root = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".strata");
        return new StrataHome(root.toAbsolutePath());
    }

    public Path tokensFile() {
        return root.resolve("tokens.json");
    }

    public Path sandboxDir() {
        return root.resolve("sandbox");
    }

    public Path sandboxState() {
        return sandboxDir().resolve("state.json");
    }

    public Map<String, String> tokens() {
        if (!Files.exists(tokensFile())) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(Json.mapper().readValue(Files.readAllBytes(tokensFile()), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            return new TreeMap<>();
        }
    }

    public String token(String clusterId) {
        return clusterId == null ? null : tokens().get(clusterId);
    }

    public void saveToken(String clusterId, String token) {
        Map<String, String> tokens = tokens();
        if (token == null) {
            tokens.remove(clusterId);
        } else {
            tokens.put(clusterId, token);
        }
        SafeFiles.writeSecret(tokensFile(), Json.toBytes(tokens));
    }
}
