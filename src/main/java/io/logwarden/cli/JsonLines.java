package io.logwarden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One JSON object per line, UTF-8, buffered: flushed by {@link #flush()}, never closing the stream it writes to. */
final class JsonLines {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Writer writer;

    JsonLines(OutputStream out) {
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    void write(Object value) {
        try {
            writer.write(mapper.writeValueAsString(value));
            writer.write('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the output", e);
        }
    }

    /** Loads the JSON library's writing code (maps, lists, records), so that the first real line does not wait. */
    static void warmUp() {
        try {
            new ObjectMapper().writeValueAsString(Map.of("line", new Sample("text", 1, List.of(0.5))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Sample(String text, long count, List<Double> scores) {
    }

    void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the output", e);
        }
    }
}
