package dev.llmfault.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/** One HTTP answer as the tests read it: status, headers, text body, and the body as JSON or SSE frames. */
public record Answer(int status, HttpHeaders headers, String body) {
    public static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How a body's bytes become the text tests read: UTF-8, except a binary AWS event stream, read as ISO-8859-1
     * (one char per byte, lossless) so that its fixture can turn it back into bytes for the AWS SDK's decoder.
     */
    public static java.nio.charset.Charset charsetOf(String contentType) {
        return contentType != null && contentType.startsWith("application/vnd.amazon.eventstream")
                ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8;
    }

    /** A header value, or null. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The body parsed as JSON; fails the test with the body when it is not JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("expected a JSON body but got (status " + status + "): " + body, e);
        }
    }

    /** The body read as server-sent events, in order. */
    public List<SseFrame> frames() {
        return SseFrame.parse(body);
    }

    /** One SSE frame: its {@code event:} name (null when it has none) and its {@code data:} text. */
    public record SseFrame(String event, String data) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (JsonProcessingException e) {
                throw new AssertionError("expected a JSON data line but got: " + data, e);
            }
        }

        /** Splits an SSE body into frames; every frame must end with a blank line, as the SSE format requires. */
        static List<SseFrame> parse(String body) {
            List<SseFrame> frames = new ArrayList<>();
            if (!body.isEmpty() && !body.endsWith("\n\n")) {
                throw new AssertionError("the stream does not end with a complete frame: ..."
                        + body.substring(Math.max(0, body.length() - 80)));
            }
            for (String block : body.split("\n\n")) {
                if (block.isBlank()) {
                    continue;
                }
                String event = null;
                StringBuilder data = null;
                for (String line : block.split("\n")) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        String d = line.substring(5);
                        d = d.startsWith(" ") ? d.substring(1) : d;
                        data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                    } else if (!line.startsWith(":")) {
                        throw new AssertionError("unexpected SSE line: " + line);
                    }
                }
                frames.add(new SseFrame(event, data == null ? null : data.toString()));
            }
            return frames;
        }
    }
}
