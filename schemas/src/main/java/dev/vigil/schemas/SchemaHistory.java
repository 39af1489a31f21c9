package dev.vigil.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The past versions of each topic's value schema, kept as resources {@code history/<topic>/v<N>.avsc}. A new version
 * is added as the next file and must be backward compatible with the one before it (SchemaHistoryTest proves it),
 * so consumers on the new schema read every record already on the topic.
 */
public final class SchemaHistory {

    private SchemaHistory() {
    }

    /** Every version of the topic's value schema, oldest first; the last is the one the code is generated from. */
    public static List<Schema> versions(String topic) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String resource = "history/" + topic + "/v" + v + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + resource, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no schema history for topic " + topic);
        }
        return versions;
    }
}
