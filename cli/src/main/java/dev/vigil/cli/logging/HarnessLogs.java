package dev.vigil.cli.logging;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends every log line of this JVM to a file while a harness (the demo, the fault drill) runs, so that nothing
 * scribbles over its output (the launcher's Log4j configuration logs to stderr). Log4j Core is only on the runtime
 * class path, so the switch goes through its {@code Configurator} by reflection; without Log4j Core it does nothing
 * and says so.
 */
public final class HarnessLogs {

    private HarnessLogs() {}

    /**
     * Reconfigures Log4j to append to {@code file} (the configuration is written beside it: {@code log4j2-demo.xml}
     * for {@code demo.log}); returns false if Log4j Core is not there.
     */
    public static boolean redirectTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String name = file.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        Path config = file.resolveSibling("log4j2-" + stem + ".xml");
        String path = file.toAbsolutePath().toString().replace("&", "&amp;").replace("\"", "&quot;");
        Files.writeString(config, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="ERROR" shutdownHook="disable">
                  <Appenders>
                    <File name="file" fileName="%s" append="false">
                      <PatternLayout pattern="%%d{HH:mm:ss.SSS} %%-5level [%%t] %%c{1} - %%msg%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Logger name="dev.vigil" level="INFO"/>
                    <Logger name="org.apache.kafka" level="WARN"/>
                    <Logger name="kafka" level="WARN"/>
                    <Logger name="org.apache.kafka.clients.NetworkClient" level="ERROR"/>
                    <Logger name="org.apache.kafka.streams.processor.internals.assignment.DefaultStandbyTaskAssignor"
                            level="ERROR"/>
                    <Logger name="ai.djl" level="WARN"/>
                    <Logger name="ai.djl.onnxruntime.engine.OrtEngine" level="ERROR"/>
                    <Logger name="ai.djl.util.cuda.CudaUtils" level="ERROR"/>
                    <Root level="WARN"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(path));
        return reconfigure(config.toUri());
    }

    /** Back to the launcher's configuration (log4j2.xml on the class path). */
    public static void restore() {
        var resource = HarnessLogs.class.getClassLoader().getResource("log4j2.xml");
        if (resource != null) {
            try {
                reconfigure(resource.toURI());
            } catch (java.net.URISyntaxException e) {
                // keep the file
            }
        }
    }

    private static boolean reconfigure(URI config) {
        try {
            Class<?> configurator = Class.forName("org.apache.logging.log4j.core.config.Configurator");
            configurator.getMethod("reconfigure", URI.class).invoke(null, config);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
