package dev.vigil.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One OpenSearch 2.19.1 node with the k-NN plugin in a child JVM (main class in vigil-opensearch-runtime).
 * Only the Lucene k-NN engine works: the plugin's native engines (faiss, nmslib) have no libraries here.
 */
final class OpenSearchServer extends ChildJvmServer {

    static final String CLASSPATH_RESOURCE = "META-INF/vigil/opensearch-runtime.classpath";
    static final String MAIN_CLASS = "dev.vigil.stack.opensearch.node.OpenSearchNodeMain";
    static final String CLUSTER_NAME = "vigil";
    /** The k-NN plugin jar, nested whole in vigil-opensearch-runtime so its Lucene SPI files stay off our classpath. */
    static final String KNN_PLUGIN_RESOURCE = "META-INF/vigil/opensearch-knn.jar";

    private static final Pattern USABLE = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");

    private final Path dir;
    private final int httpPort;
    private final int transportPort;
    private final int heapMb;

    OpenSearchServer(Path dir, Path logFile, int httpPort, int transportPort, int heapMb, Path java) {
        super(Service.OPENSEARCH, java, logFile);
        this.dir = dir;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.heapMb = heapMb;
    }

    @Override
    public LocalServer again() {
        return new OpenSearchServer(dir, logFile(), httpPort, transportPort, heapMb, java());
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    int port() {
        return httpPort;
    }

    @Override
    void prepare() throws IOException {
        Files.createDirectories(knnPluginJar().getParent());
        try (InputStream in = OpenSearchServer.class.getClassLoader().getResourceAsStream(KNN_PLUGIN_RESOURCE)) {
            if (in == null) {
                throw new IOException(KNN_PLUGIN_RESOURCE + " is not on the classpath; " + RuntimeClasspath.BUILD_HINT);
            }
            Files.copy(in, knnPluginJar(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path knnPluginJar() {
        return dir.resolve("lib").resolve("opensearch-knn.jar");
    }

    @Override
    List<String> jvmOptions() {
        return List.of("-Xms256m", "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-Djna.nosys=true",
                "-Dlog4j2.disable.jmx=true", "-Dlog4j.shutdownHookEnabled=false");
    }

    @Override
    List<Path> classpath() {
        List<Path> classpath = new ArrayList<>(RuntimeClasspath.load(CLASSPATH_RESOURCE));
        classpath.add(knnPluginJar());
        return classpath;
    }

    @Override
    String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    List<String> arguments() {
        return List.of(dir.toString(), Integer.toString(httpPort), Integer.toString(transportPort), CLUSTER_NAME);
    }

    @Override
    Path argFile() {
        return dir.resolve("jvm.args");
    }

    @Override
    boolean isHealthy() {
        return HttpProbe.get(URI.create(url() + "/_cluster/health"))
                .map(a -> a.status() == 200 && isUsable(a.body()))
                .orElse(false);
    }

    @Override
    String healthCheck() {
        return "GET " + url() + "/_cluster/health never reported yellow or green";
    }

    /** True for a cluster-health body whose status is yellow or green. */
    static boolean isUsable(String clusterHealth) {
        return USABLE.matcher(clusterHealth).find();
    }
}
