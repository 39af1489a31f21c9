package dev.vigil.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The classpath of a child JVM, as a runtime module (vigil-registry-runtime, vigil-opensearch-runtime) recorded it
 * at build time: the module's own jar (or classes directory) followed by its resolved dependencies.
 *
 * <p>The build writes the dependencies as local-Maven-repository paths prefixed with {@value #REPO_PREFIX}, joined
 * by ';'. At run time the prefix is replaced by the first repository that holds every jar: the system property
 * {@value #REPO_PROPERTY}, then {@code maven.repo.local}, then the repository the runtime jar itself was loaded
 * from, then {@code ~/.m2/repository}.
 */
final class RuntimeClasspath {

    static final String REPO_PREFIX = "M2_REPO/";
    static final String REPO_PROPERTY = "vigil.stack.m2.repo";
    static final String BUILD_HINT = "build and install the local stack: mvn -q -pl :vigil-local-stack -am install";

    private RuntimeClasspath() {
    }

    /** Loads the classpath recorded in {@code resource} (e.g. META-INF/vigil/registry-runtime.classpath). */
    static List<Path> load(String resource) {
        URL url = RuntimeClasspath.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath: the runtime module is missing; "
                    + BUILD_HINT);
        }
        Path self = locationOf(url, resource);
        String recorded;
        try (InputStream in = url.openStream()) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(self);
        classpath.addAll(resolve(recorded, repositoryCandidates(self), resource));
        return classpath;
    }

    /** Resolves the recorded entries against the first candidate repository that holds all of them. */
    static List<Path> resolve(String recorded, List<Path> repositories, String what) {
        List<String> entries = new ArrayList<>();
        for (String entry : recorded.split(";")) {
            if (!entry.isBlank()) {
                entries.add(entry.trim());
            }
        }
        String firstMissing = null;
        for (Path repository : repositories) {
            List<Path> resolved = new ArrayList<>(entries.size());
            for (String entry : entries) {
                resolved.add(entry.startsWith(REPO_PREFIX)
                        ? repository.resolve(entry.substring(REPO_PREFIX.length()))
                        : Path.of(entry));
            }
            Optional<Path> missing = resolved.stream().filter(p -> !Files.exists(p)).findFirst();
            if (missing.isEmpty()) {
                return resolved;
            }
            if (firstMissing == null) {
                firstMissing = missing.get().toString();
            }
        }
        throw new IllegalStateException("the jars listed in " + what + " are not all in a local Maven repository"
                + " (looked in " + repositories + "; first missing: " + firstMissing + "); " + BUILD_HINT
                + " (or set -D" + REPO_PROPERTY + "=<repository>)");
    }

    static List<Path> repositoryCandidates(Path runtimeLocation) {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String property : List.of(REPO_PROPERTY, "maven.repo.local")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        }
        // <repo>/dev/vigil/<artifactId>/<version>/<artifactId>-<version>.jar
        if (runtimeLocation.toString().endsWith(".jar") && runtimeLocation.getNameCount() >= 5) {
            Path repo = runtimeLocation.getParent().getParent().getParent().getParent().getParent();
            if (repo != null && runtimeLocation.startsWith(repo.resolve("dev").resolve("vigil"))) {
                candidates.add(repo);
            }
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        return List.copyOf(candidates);
    }

    /** The jar file or classes directory that holds {@code resource}. */
    static Path locationOf(URL url, String resource) {
        try {
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                return Path.of(connection.getJarFileURL().toURI());
            }
            Path file = Path.of(url.toURI());
            int depth = Path.of(resource).getNameCount();
            Path root = file;
            for (int i = 0; i < depth; i++) {
                root = root.getParent();
            }
            return root;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + url, e);
        }
    }

    /** Where a class was loaded from (its jar or classes directory). */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + type, e);
        }
    }
}
