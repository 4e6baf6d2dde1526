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

    /// The dissector flags a request on id 0 by its own list of client types: that list is §5's C→S column.
    @Test func theDissectorsRequestTypesAreTheClientsTypes() throws {
        let lua = try String(
            contentsOf: ReadmeWalkthroughTests.root.appendingPathComponent("Protocol/wireshark/gmq.lua"), encoding: .utf8)
        let list = try #require(lua.firstMatch(of: /ipairs\(\{([^}]*)\}\)/)?.output.1)
        let listed = Set(list.split(separator: ",").compactMap {
            UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(2), radix: 16)
        })
        #expect(listed == Set(MessageType.allCases.filter { $0.sender != .server }.map(\.rawValue)))
    }
}
