package io.agentserver.bench.sut;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What our replicas hold on the bus, read from their {@code /metrics}: subscriptions by kind and pub/sub
 * connections, averaged over the replicas (the table's rows say "per replica").
 */
final class BusFacts {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BusFacts() {
    }

    static Map<String, Double> perReplica(List<Integer> ports) {
        Map<String, Double> facts = new LinkedHashMap<>();
        for (int port : ports) {
            String metrics = metrics(port);
            add(facts, "bus: pattern subscriptions per replica", value(metrics,
                    "agentserver_bus_subscriptions{kind=\"pattern\"}") / ports.size());
            add(facts, "bus: sharded channels per replica", value(metrics,
                    "agentserver_bus_subscriptions{kind=\"shard_channel\"}") / ports.size());
            add(facts, "bus: pub/sub connections per replica", value(metrics, "agentserver_bus_connections")
                    / ports.size());
        }
        return facts;
    }

    private static void add(Map<String, Double> facts, String label, double value) {
        facts.merge(label, value, Double::sum);
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst().orElse(Double.NaN);
    }

    private static String metrics(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
