package io.agentserver.service.xagent.http;

import io.agentserver.service.web.LenientQueryDecoder;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.ServerRequest;

import java.util.List;

/**
 * The fields of a form-encoded request (or the query string of a GET), with XAgent's required-field errors.
 * Decoded leniently, as XAgent's Python server does ({@link LenientQueryDecoder}).
 */
final class Form {

    private final Parameters fields;

    private Form(Parameters fields) {
        this.fields = fields;
    }

    static Form of(ServerRequest req) {
        if (req.content().hasEntity()) {
            boolean urlEncoded = req.headers().contentType()
                    .map(type -> type.mediaType().equals(MediaTypes.APPLICATION_FORM_URLENCODED))
                    .orElse(false);
            if (urlEncoded) {
                return new Form(LenientQueryDecoder.parse(req.content().as(String.class)));
            }
            try {
                return new Form(req.content().as(Parameters.class));
            } catch (RuntimeException e) {
                throw HttpProblem.badRequest("expected a form-encoded body (application/x-www-form-urlencoded)");
            }
        }
        return new Form(LenientQueryDecoder.parse(req.query().rawValue()));
    }

    static Form of(Parameters fields) {
        return new Form(fields);
    }

    String required(String name) {
        if (!fields.contains(name)) {
            throw HttpProblem.badRequest("field \"" + name + "\" is required");
        }
        return fields.get(name);
    }

    String optional(String name, String fallback) {
        return fields.contains(name) ? fields.get(name) : fallback;
    }

    List<String> all(String name) {
        return fields.contains(name) ? fields.all(name) : List.of();
    }

    int positiveInt(String name, int fallback, int max) {
        String value = optional(name, String.valueOf(fallback));
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1 || parsed > max) {
                throw HttpProblem.badRequest("field \"" + name + "\" must be between 1 and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("field \"" + name + "\" must be a whole number");
        }
    }
}
