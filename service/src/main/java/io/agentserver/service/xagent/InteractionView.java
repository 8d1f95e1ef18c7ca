package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The interaction object of XAgent's frames and listings; times as {@code YYYY-MM-DD HH:MM:SS} (UTC). */
public final class InteractionView {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private InteractionView() {
    }

    public static ObjectNode of(Interaction i) {
        ObjectNode node = Json.object();
        node.put("interaction_id", i.interactionId());
        node.put("user_id", i.userId());
        node.put("create_time", time(i.createTime()));
        node.put("update_time", time(i.updateTime()));
        node.put("description", i.description());
        node.put("agent", i.agent());
        node.put("mode", i.mode());
        node.set("file_list", Json.parse(i.fileListJson()).orElseGet(Json::array));
        node.put("recorder_root_dir", i.recorderRootDir());
        node.put("status", i.status().wire());
        node.put("message", i.message());
        node.put("current_step", i.currentStep());
        node.put("is_deleted", i.deleted());
        node.put("call_method", i.callMethod());
        return node;
    }

    public static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }
}
