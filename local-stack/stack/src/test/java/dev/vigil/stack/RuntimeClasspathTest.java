package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeClasspathTest {

    @TempDir
    Path tmp;

    @Test
    void resolvesRepositoryEntriesAgainstTheFirstRepositoryHoldingThemAll() throws Exception {
        Path incomplete = Files.createDirectories(tmp.resolve("incomplete"));
        Path complete = tmp.resolve("complete");
        touch(complete.resolve("org/a/a-1.jar"));
        touch(complete.resolve("org/b/b-2.jar"));
        touch(incomplete.resolve("org/a/a-1.jar"));
        Path absolute = touch(tmp.resolve("elsewhere/c.jar"));

        List<Path> classpath = RuntimeClasspath.resolve("M2_REPO/org/a/a-1.jar;M2_REPO/org/b/b-2.jar;" + absolute + ";\n",
                List.of(incomplete, complete), "test.classpath");

        assertThat(classpath).containsExactly(complete.resolve("org/a/a-1.jar"), complete.resolve("org/b/b-2.jar"), absolute);
    }

    @Test
    void missingJarsAreAnErrorThatSaysHowToInstallThem() {
        assertThatThrownBy(() -> RuntimeClasspath.resolve("M2_REPO/org/a/a-1.jar", List.of(tmp), "x.classpath"))
                .hasMessageContaining("x.classpath")
                .hasMessageContaining("a-1.jar")
                .hasMessageContaining("mvn -q -pl :vigil-local-stack -am install");
    }

    @Test
    void aRuntimeJarInsideALocalRepositoryNamesThatRepository() {
        Path repo = tmp.resolve("repo");
        Path jar = repo.resolve("dev/vigil/vigil-registry-runtime/0.1.0-SNAPSHOT/vigil-registry-runtime-0.1.0-SNAPSHOT.jar");
        assertThat(RuntimeClasspath.repositoryCandidates(jar)).contains(repo)
                .endsWith(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        assertThat(RuntimeClasspath.repositoryCandidates(tmp.resolve("target/classes"))).doesNotContain(tmp);
    }

    @Test
    void theBuiltRuntimesResolveCompletely() {
        // Both runtime modules are test-classpath dependencies of this module and were installed by the build.
        List<Path> registry = RuntimeClasspath.load(SchemaRegistryServer.CLASSPATH_RESOURCE);
        List<Path> openSearch = RuntimeClasspath.load(OpenSearchServer.CLASSPATH_RESOURCE);
        assertThat(registry).hasSizeGreaterThan(100).allMatch(Files::exists);
        assertThat(registry.toString()).contains("registry-webservice-0.9.1.jar").doesNotContain("hadoop");
        assertThat(openSearch).hasSizeGreaterThan(50).allMatch(Files::exists);
        assertThat(openSearch.toString()).contains("opensearch-2.19.1.jar", "guava-32.1.3-jre.jar");
    }

    @Test
    void theRuntimeJarsPutNoServiceProvidersOnOurClasspath() throws Exception {
        // The child JVMs' libraries must not leak into this JVM, not even as SPI files (e.g. the k-NN plugin's Lucene codecs).
        for (String runtime : List.of(SchemaRegistryServer.CLASSPATH_RESOURCE, OpenSearchServer.CLASSPATH_RESOURCE)) {
            Path jar = RuntimeClasspath.load(runtime).get(0);
            if (Files.isRegularFile(jar)) {
                try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                    assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
                            .noneMatch(name -> name.startsWith("META-INF/services/"))
                            .noneMatch(name -> name.startsWith("org/"));
                }
            }
        }
        assertThat(getClass().getClassLoader().getResources("META-INF/services/org.apache.lucene.codecs.Codec")
                .hasMoreElements()).isFalse();
        assertThat(getClass().getClassLoader().getResource(OpenSearchServer.KNN_PLUGIN_RESOURCE)).isNotNull();
    }

    private static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "");
    }
}
