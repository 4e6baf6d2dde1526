import Foundation
import GMQClient
import GMQCore
import GMQProtocol
import GMQServer
import GMQTestSupport
import Logging
import Prometheus
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The operator's metrics (issue 11 §5): a real server and a real scrape of `GET /metrics`; each family moves
/// with what was done.
@Suite struct MetricsTests {
    /// GET `path` on the endpoint: status and body.
    static func get(_ path: String, port: Int, method: String = "GET") async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The value of the sample whose name and labels start as `prefix` says (`name{a="b"`), or nil.
    static func value(_ prefix: String, in exposition: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(prefix) && !$0.hasPrefix("#") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    @Test func aScrapeShowsWhatTheServerDid() async throws {
        var factory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        factory.durationHistogramBuckets = ServerMetrics.durationBuckets
        factory.valueHistogramBuckets = ServerMetrics.valueBuckets
        var configuration = GMQServer.Configuration.forTests
        configuration.metrics = ServerMetrics(factory: factory)
        configuration.statisticsInterval = .milliseconds(50)
        let registry = factory.registry
        var logger = Logger(label: "metrics-test")
        logger.logLevel = .critical
        let endpoint = MetricsEndpoint(port: 0, logger: logger) { registry.emitToBuffer() }
        let port = try await endpoint.bind()
        let serving = Task { try await endpoint.run() }
        defer { serving.cancel() }
        try await withTestServer(configuration: configuration) { server in
            let (_, before) = try await Self.get("/metrics", port: port)
            #expect(Self.value("gmq_requests_total{", in: before) == nil, "nothing answered yet")

            let thrall = try await server.player(42, "Thrall")
            let mirna = try await server.staff("Mirna")
            _ = try await thrall.call(submission("gm are you there?"))
            let accepted = try await thrall.submitAccepted("Stuck under the Ironforge bridge, can't move or hearth")
            _ = try await thrall.submitAccepted("Mail from Mirna with 300 gold never delivered", category: "bug")
            _ = try await mirna.update(.claim(Claim(ticketID: accepted.ticketID)))
            _ = try await mirna.update(.answer(Answer(ticketID: accepted.ticketID, text: "Teleported you to the gates.")))
            _ = try await mirna.send(.claim(Claim(ticketID: 999)))
            var mailbox = thrall.notifications.makeAsyncIterator()
            _ = await mailbox.next()  // claimed
            _ = await mailbox.next()  // answered

            var exposition = ""
            for _ in 0..<3_000 {  // the statistics are read every 50 ms; up to a minute, as this machine stalls
                exposition = try await Self.get("/metrics", port: port).1
                if Self.value("gmq_queue_depth{category=\"bug\"}", in: exposition) == 1 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(Self.value("gmq_connections{port=\"player\"}", in: exposition) == 1)
            #expect(Self.value("gmq_connections{port=\"staff\"}", in: exposition) == 1)
            #expect(Self.value("gmq_requests_total{type=\"SUBMIT\",result=\"ok\"}", in: exposition) == 2)
            #expect(Self.value("gmq_requests_total{type=\"SUBMIT\",result=\"rejected\"}", in: exposition) == 1)
            #expect(Self.value("gmq_requests_total{type=\"CLAIM\",result=\"not_found\"}", in: exposition) == 1)
            #expect(Self.value("gmq_requests_total{type=\"HELLO\",result=\"ok\"}", in: exposition) == 2)
            #expect(Self.value("gmq_submissions_total{outcome=\"accepted\",reason=\"none\"}", in: exposition) == 2)
            #expect(Self.value("gmq_submissions_total{outcome=\"rejected\",reason=\"contact_only\"}", in: exposition) == 1)
            // Histograms' sample counts (how many were observed), not their times.
            let submitsObserved = Self.value("gmq_request_duration_seconds_count{type=\"SUBMIT\"}", in: exposition)
            #expect(submitsObserved == 3)
            #expect(Self.value("gmq_queue_depth{category=\"bug\"}", in: exposition) == 1)
            #expect(Self.value("gmq_queue_depth{category=\"stuck_character\"}", in: exposition) == 0)
            #expect((Self.value("gmq_queue_oldest_open_age_seconds{category=\"bug\"}", in: exposition) ?? -1) >= 0)
            #expect(Self.value("gmq_claim_delay_seconds_count{category=\"stuck_character\"}", in: exposition) == 1)
            #expect(Self.value("gmq_first_response_delay_seconds_count{category=\"stuck_character\"}", in: exposition) == 1)
            #expect(Self.value("gmq_notification_delivery_delay_seconds_count", in: exposition) == 2)
            #expect(Self.value("gmq_notifications_pending", in: exposition) == 2, "none acknowledged yet")
            #expect((Self.value("gmq_commit_batch_size_count", in: exposition) ?? 0) >= 5)
            let commitsObserved = Self.value("gmq_commit_duration_seconds_count", in: exposition) ?? 0
            let fsyncsObserved = Self.value("gmq_fsync_duration_seconds_count", in: exposition) ?? 0
            #expect(commitsObserved >= 5 && fsyncsObserved >= 5)
            #expect(!exposition.contains("Ironforge") && !exposition.contains("Thrall"), "no ticket text or name")

            #expect(try await Self.get("/metrics", port: port, method: "POST").0 == 405)
            #expect(try await Self.get("/", port: port).0 == 404)
            await thrall.close()
            await mirna.close()
        }
    }

    /// `Tools/grafana/gmqueue.json` draws only what the server exports, and every family at least once.
    @Test func theDashboardUsesExactlyTheServersMetrics() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/grafana/gmqueue.json")
        let dashboard = try String(contentsOf: file, encoding: .utf8)
        _ = try JSONSerialization.jsonObject(with: Data(dashboard.utf8))
        let used = Set(dashboard.matches(of: /gmq_[a-z_]+/).map { match in
            var name = String(match.output)
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
            return name
        })
        #expect(used == Set(ServerMetrics.Name.all))
    }
}
