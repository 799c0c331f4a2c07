package io.strata.container;

import io.strata.config.server.AgentLayout;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a container JVM, started by the host agent:
 * {@code java ... io.strata.container.ContainerMain --root <agent root> --container <name>}.
 * It exits 0 after SIGTERM has stopped it cleanly, and 2 with one line on stderr when it
 * cannot start (the agent records that line as the container's last failure).
 */
public final class ContainerMain {
    private ContainerMain() {
    }

    public static void main(String[] args) {
        Path root = null;
        String name = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[i + 1]);
                case "--container" -> name = args[i + 1];
                default -> fail("unknown option " + args[i]);
            }
        }
        if (root == null || name == null) {
            fail("usage: ContainerMain --root <agent root> --container <name>");
        }
        AgentLayout layout = new AgentLayout(root);
        Container container;
        try {
            ServerIdentity server = Json.readFile(layout.identityFile(), ServerIdentity.class);
            ContainerDefinition definition = Json.readFile(layout.definitionFile(name), ContainerDefinition.class);
            container = Container.standard(layout, server, definition).start();
        } catch (StrataException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            e.printStackTrace();
            fail("container " + name + " failed to start: " + e);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Container running = container;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "container-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(String message) {
        System.err.println("strata-container: " + message);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }
}
