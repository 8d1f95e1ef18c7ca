package io.agentserver.service.xagent;

import io.agentserver.service.agent.recording.Recordings;
import io.agentserver.service.hub.Hub;
import io.agentserver.service.hub.SocketEndpoint;
import io.agentserver.service.hub.SocketSettings;
import io.agentserver.service.xagent.http.ConversationRoutes;
import io.agentserver.service.xagent.http.UserRoutes;
import io.agentserver.service.xagent.http.UploadSettings;
import io.agentserver.service.xagent.http.WorkspaceRoutes;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/** Mounts the XAgent protocol: its four sockets, and its HTTP routes at their own paths and under {@code /api}. */
public final class XAgentProtocol {

    private final XAgentDependencies deps;
    private final Hub hub;
    private final Recordings recordings;
    private final UploadSettings uploads;

    public XAgentProtocol(XAgentDependencies deps, Hub hub, Recordings recordings, UploadSettings uploads) {
        this.deps = deps;
        this.hub = hub;
        this.recordings = recordings;
        this.uploads = uploads;
    }

    public void http(HttpRouting.Builder routing) {
        for (String prefix : new String[] {"/", "/api"}) {
            routing.register(prefix, new UserRoutes(deps.stores().users(), deps.users(), deps.clock()));
            routing.register(prefix, new ConversationRoutes(deps.stores(), deps.users(), recordings, deps.clock()));
            routing.register(prefix, new WorkspaceRoutes(deps.stores(), deps.users(), uploads, deps.clock()));
        }
    }

    public void websockets(WsRouting.Builder routing) {
        SocketSettings socket = deps.settings().socket(hub.settings());
        routing.endpoint("/ws/base/{id}", SocketEndpoint.of(socket, hub, request -> new BaseSocket(deps, request)))
                .endpoint("/ws/recorder/{id}", SocketEndpoint.of(socket, hub,
                        request -> new RecorderSocket(deps, request, recordings)))
                .endpoint("/ws/replay/{id}", SocketEndpoint.of(socket, hub, request -> new ReplaySocket(deps, request)))
                .endpoint("/ws/share/{id}", SocketEndpoint.of(socket, hub, request -> new ShareSocket(deps, request)));
    }
}
