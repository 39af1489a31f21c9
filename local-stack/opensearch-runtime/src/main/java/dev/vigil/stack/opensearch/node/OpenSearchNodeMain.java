package dev.vigil.stack.opensearch.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch 2.19 node with the k-NN plugin on loopback and keeps it running until the JVM exits.
 *
 * <p>Runs inside the child JVM that vigil-local-stack starts (never on Vigil's own classpath). Arguments, all
 * required: {@code <base-path> <http-port> <transport-port> <cluster-name>}. The node lives in
 * {@code <base-path>/node_1/{config,data,logs}}; its log goes to stdout, which the parent redirects to a file.
 */
public final class OpenSearchNodeMain {

    /** The runner names its only node's home after the node number; the parent relies on this layout too. */
    private static final String NODE_HOME = "node_1";
    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private OpenSearchNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OpenSearchNodeMain <base-path> <http-port> <transport-port> <cluster-name>");
            System.exit(2);
        }
        Path basePath = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);
        int transportPort = Integer.parseInt(args[2]);
        String clusterName = args[3];

        // The runner copies its own log4j2.properties (console plus three rolling files) only when none exists;
        // ours logs to the console alone, so everything lands in the one file the parent keeps.
        Path configDir = basePath.resolve(NODE_HOME).resolve("config");
        Files.createDirectories(configDir);
        copyResource("log4j2.properties", configDir.resolve("log4j2.properties"));

        OpenSearchRunner runner = new OpenSearchRunner();
        // Without this the runner silently moves to the next free port, or refuses ports above 9299.
        runner.setMaxHttpPort(-1);
        runner.onBuild((number, settings) -> {
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            // A developer disk that is 90% full must not turn the demo's indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "opensearch-node-stop"));

        runner.build(OpenSearchRunner.newConfigs()
                .basePath(basePath.toString())
                .numOfNode(1)
                .baseHttpPort(httpPort - 1) // the runner adds the node number (1)
                .clusterName(clusterName)
                .pluginTypes(KNN_PLUGIN));
        System.out.println("vigil: opensearch node started on http://127.0.0.1:" + httpPort);
        stopped.await();
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = OpenSearchNodeMain.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + OpenSearchNodeMain.class);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
