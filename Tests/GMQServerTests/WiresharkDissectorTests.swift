import Foundation
import GMQProtocol
import Testing

/// `Protocol/wireshark/gmq.lua` decodes a capture of a real session: every message type, nothing misread.
@Suite(.timeLimit(.minutes(2)))
struct WiresharkDissectorTests {
    static let tsharkInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark")

    @Test(.enabled(if: tsharkInstalled, "needs tshark (apt-get install -y tshark; .ci/run installs it)"))
    func theDissectorDecodesEveryMessageTypeOfACapturedSession() async throws {
        let script = ReadmeWalkthroughTests.root.appendingPathComponent("Protocol/wireshark/check").path
        let (status, output) = try await CClientTests.run(script, [ReadmeWalkthroughTests.binaries.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\(MessageType.allCases.count) message types"), "\(output)")
    }
}
