package io.agentserver.service.a2a;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RpcRequestTest {

    @Test
    void aRequestKeepsItsIdMethodAndParams() {
        RpcRequest.Parsed parsed = RpcRequest.parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"GetTask\","
                + "\"params\":{\"id\":\"t\"}}");
        assertThat(parsed).isInstanceOfSatisfying(RpcRequest.Valid.class, v -> {
            assertThat(v.request().id().asText()).isEqualTo("a");
            assertThat(v.request().method()).isEqualTo("GetTask");
            assertThat(v.request().paramsObject()).hasValueSatisfying(p -> assertThat(p.path("id").asText())
                    .isEqualTo("t"));
        });
        assertThat(RpcRequest.parse("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ListTasks\"}"))
                .isInstanceOfSatisfying(RpcRequest.Valid.class, v -> assertThat(v.request().paramsObject())
                        .hasValueSatisfying(p -> assertThat(p).isEmpty()));
    }

    @Test
    void paramsThatAreNotAnObjectAreLeftForTheMethodToRefuse() {
        assertThat(RpcRequest.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":[1]}"))
                .isInstanceOfSatisfying(RpcRequest.Valid.class, v -> assertThat(v.request().paramsObject()).isEmpty());
    }

    @Test
    void badBodiesAreTheRightErrors() {
        assertThat(code("{nope")).isEqualTo(RpcError.PARSE_ERROR);
        assertThat(code("")).isEqualTo(RpcError.PARSE_ERROR);
        assertThat(code("[]")).isEqualTo(RpcError.INVALID_REQUEST);
        assertThat(code("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"GetTask\"}")).isEqualTo(RpcError.INVALID_REQUEST);
        assertThat(code("{\"jsonrpc\":2.0,\"id\":1,\"method\":\"GetTask\"}")).isEqualTo(RpcError.INVALID_REQUEST);
        assertThat(code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}")).isEqualTo(RpcError.INVALID_REQUEST);
        assertThat(code("{\"jsonrpc\":\"2.0\",\"method\":\"GetTask\"}")).as("a notification")
                .isEqualTo(RpcError.INVALID_REQUEST);
    }

    @Test
    void a2aErrorsCarryErrorInfoAndOthersDoNot() {
        assertThat(RpcError.taskNotFound("x").toJson().path("data").get(0).path("reason").asText())
                .isEqualTo("TASK_NOT_FOUND");
        assertThat(RpcError.parseError().toJson().has("data")).isFalse();
        assertThat(RpcError.internal().httpStatus()).isEqualTo(500);
        assertThat(RpcError.authenticationRequired().response(null).toString())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Authentication required\"}}");
    }

    private static int code(String body) {
        return ((RpcRequest.Invalid) RpcRequest.parse(body)).error().code();
    }
}
