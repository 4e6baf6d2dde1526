import Foundation
import GMQServer
import Testing

/// Issue 18 §8: a token has exactly one spelling. `Protocol/vectors/tokens.txt` holds a secret, a time, a valid
/// token and spellings of the same token (same MAC) that a lax parser would accept; a login service or another
/// server implementation checks itself against it. `GMQ_WRITE_VECTORS=1` rewrites it.
@Suite struct TokenVectorTests {
    static let secret = Data((0..<32).map { UInt8($0) })
    static let now = Date(timeIntervalSince1970: 1_795_600_000)
    static var url: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/tokens.txt")
    }

    /// The file's lines: the valid token first, then each non-canonical spelling with why it is refused.
    static func generate() -> String {
        let signer = PlayerTokenSigner(secret: Self.secret)
        // An expiry whose MAC shows `-` or `_`, so that its standard-base64 spelling differs.
        var expiry = Self.now.addingTimeInterval(86_400)
        var token = signer.sign(playerID: 42, name: "Jaina", expiresAt: expiry)
        while !token.split(separator: ".")[4].contains(where: { $0 == "-" || $0 == "_" }) {
            expiry += 1
            token = signer.sign(playerID: 42, name: "Jaina", expiresAt: expiry)
        }
        let parts = token.split(separator: ".").map(String.init)
        func with(_ index: Int, _ value: String) -> String {
            var copy = parts
            copy[index] = value
            return copy.joined(separator: ".")
        }
        let mac = parts[4]
        // The MAC's last character carries 2 unused bits; setting one keeps the bytes and changes the spelling.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: mac.last!)!
        let loose = String(mac.dropLast()) + String(alphabet[last ^ 1])
        let invalid: [(String, String)] = [
            (with(1, "+42"), "id with a sign"),
            (with(1, "042"), "id with a leading zero"),
            (with(2, parts[2] + "="), "name with base64 padding"),
            (with(3, "0" + parts[3]), "expiry with a leading zero"),
            (with(4, mac + "="), "mac with base64 padding"),
            (with(4, mac.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")),
                "mac in standard base64 (+ and /)"),
            (with(4, loose), "mac whose unused trailing bits are set"),
            (signer.sign(playerID: 42, name: "Jaina", expiresAt: Self.now.addingTimeInterval(-1)), "expired"),
            (signer.sign(playerID: 42, name: "Jaina", expiresAt: Self.now.addingTimeInterval(8 * 86_400)),
                "valid for more than 7 days"),
        ]
        var lines = [
            "# Player tokens, PROTOCOL.md §3.1: one spelling per token. `secret` is the HMAC key (32 bytes, here in hex);",
            "# verify each token at `now` (Unix seconds). `valid` lines verify to the id and name given; `invalid` lines",
            "# carry the valid token's MAC in another spelling (or a bad expiry) and must be refused.",
            "secret " + Self.secret.map { String(format: "%02x", $0) }.joined(),
            "now \(Int(Self.now.timeIntervalSince1970))",
            "valid \(token) 42 Jaina",
        ]
        lines += invalid.map { "invalid \($0.0) \($0.1)" }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func everyTokenVectorVerifiesOrIsRefusedAsItSays() throws {
        if ProcessInfo.processInfo.environment["GMQ_WRITE_VECTORS"] == "1" {
            try Self.generate().write(to: Self.url, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: Self.url, encoding: .utf8)
        #expect(text == Self.generate(), "tokens.txt is the generator's output")
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ") }
        let secret = try #require(lines.first { $0[0] == "secret" }.flatMap { Data(hexString: String($0[1])) })
        let now = try #require(lines.first { $0[0] == "now" }.flatMap { Double($0[1]) })
        let signer = PlayerTokenSigner(secret: secret)
        var invalid = 0
        for line in lines where line[0] == "valid" || line[0] == "invalid" {
            let token = String(line[1])
            let result = Result { try signer.verify(token, now: Date(timeIntervalSince1970: now)) }
            if line[0] == "valid" {
                let identity = try result.get()
                #expect(identity.playerID == Int64(line[2]) && identity.name == line[3])
            } else {
                invalid += 1
                #expect(throws: (any Error).self, "\(line.dropFirst(2).joined(separator: " ")): \(token)") { try result.get() }
            }
        }
        #expect(invalid == 9)
    }
}

extension Data {
    init?(hexString: String) {
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2, limitedBy: hexString.endIndex) ?? hexString.endIndex
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
