package io.agentserver.service.web;

import io.helidon.common.parameters.Parameters;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a query string or form body as Python's {@code urllib.parse.parse_qs} does, which XAgent's server
 * uses: {@code +} is a space, a {@code %} not followed by two hex digits stays as typed, bytes that are not
 * UTF-8 become U+FFFD, and fields without {@code =} are dropped. XAgentWeb writes the
 * first characters of a goal into {@code description=} without encoding them, so a raw {@code %} must survive
 * (a strict decoder turns it into a replacement character or refuses the request). Unlike {@code parse_qs},
 * empty values are kept: our routes answer a blank field as they always did.
 */
public final class LenientQueryDecoder {

    private LenientQueryDecoder() {
    }

    /** The fields of {@code raw} (a query string without {@code ?}, or an urlencoded body). */
    public static Parameters parse(String raw) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String value = decode(pair.substring(eq + 1));
                fields.computeIfAbsent(decode(pair.substring(0, eq)), k -> new ArrayList<>()).add(value);
            }
        }
        return Parameters.create("query", fields);
    }

    /** One component: {@code +} to space, valid {@code %XX} escapes to bytes, everything else kept. */
    public static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
        int n = component.length();
        for (int i = 0; i < n; i++) {
            char c = component.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < n && hex(component.charAt(i + 1)) >= 0 && hex(component.charAt(i + 2)) >= 0) {
                bytes.write(hex(component.charAt(i + 1)) * 16 + hex(component.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < n && Character.isLowSurrogate(component.charAt(end))) {
                    end++;
                }
                bytes.writeBytes(component.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
