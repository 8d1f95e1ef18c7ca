package io.agentserver.service.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

/** What a run spent on its model: tokens and requests, as its final step shows them. */
public record Spend(long promptTokens, long completionTokens, int modelRequests, boolean estimated) {

    public static final Spend NONE = new Spend(0, 0, 0, false);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    Spend plus(long prompt, long completion, boolean estimate) {
        return new Spend(promptTokens + prompt, completionTokens + completion, modelRequests + 1, estimated || estimate);
    }

    /** {@code {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…,"model_requests":…,"estimated":…}} */
    public ObjectNode toJson() {
        return Json.object().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", totalTokens()).put("model_requests", modelRequests).put("estimated", estimated);
    }

    /** One sentence for a failure text: {@code this run used 1234 model tokens in 3 requests}. */
    public String sentence() {
        return "this run used " + totalTokens() + " model tokens" + (estimated ? " (estimated)" : "") + " in "
                + modelRequests + (modelRequests == 1 ? " request" : " requests");
    }
}
