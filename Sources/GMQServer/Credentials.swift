import Crypto
import Foundation
import GMQProtocol

/// Signs and checks player tokens: what the game's login service hands the client so that GMQueue knows who is
/// asking without a login of its own.
///
/// A token is `v1.<player id>.<base64url name>.<expiry, Unix seconds>.<base64url HMAC-SHA256>`; the MAC covers
/// `gmq-player-v1|<id>|<name>|<expiry>` under the secret in `gmqd`'s data directory (PROTOCOL.md §3.1).
public struct PlayerTokenSigner: Sendable {
    private let key: SymmetricKey

    public init(secret: Data) {
        self.key = SymmetricKey(data: secret)
    }

    /// The longest a token may be valid: 7 days (PROTOCOL.md §3.1). A token cannot be revoked, so it should not
    /// outlive a game session by much; a token expiring later is refused, whoever signed it.
    public static let maximumLifetime: TimeInterval = 7 * 86_400
    /// Clocks of the login service and of gmqd may differ by this much.
    static let clockSkew: TimeInterval = 300

    public func sign(playerID: Int64, name: String, expiresAt: Date) -> String {
        let expiry = Int64(expiresAt.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Self.signedBytes(playerID, name, expiry), using: self.key)
        return "v1.\(playerID).\(Base64URL.encode(Data(name.utf8))).\(expiry).\(Base64URL.encode(Data(mac)))"
    }

    /// A player identity proven by a token.
    public struct Identity: Sendable, Equatable {
        public var playerID: Int64
        public var name: String
    }

    public enum Failure: Error, Equatable {
        case malformed
        case badSignature
        case expired(at: Date)
        /// The token is valid for longer than `maximumLifetime` from now.
        case lifetimeTooLong
    }

    public func verify(_ token: String, now: Date) throws(Failure) -> Identity {
        // One spelling per token (PROTOCOL.md §3.1): canonical decimals and unpadded base64url whose unused bits
        // are zero, so that "+42", "042", a trailing "=" or standard base64 never verify as the same token.
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", let id = Self.canonicalInteger(parts[1]), id > 0,
            let nameData = Base64URL.decode(parts[2]), let name = String(data: nameData, encoding: .utf8),
            let expiry = Self.canonicalInteger(parts[3]), let mac = Base64URL.decode(parts[4]), mac.count == 32,
            // The name travels in WELCOME and ticket summaries, whose names are limited (PROTOCOL.md §4) and
            // printable (§4.1): it reaches staff terminals.
            (1...ProtocolLimits.maximumNameBytes).contains(name.utf8.count),
            TextRules.firstForbidden(in: name, field: .name) == nil
        else { throw .malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.signedBytes(id, name, expiry), using: self.key)
        else { throw .badSignature }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard expiresAt > now else { throw .expired(at: expiresAt) }
        guard expiresAt.timeIntervalSince(now) <= Self.maximumLifetime + Self.clockSkew else { throw .lifetimeTooLong }
        return Identity(playerID: id, name: name)
    }

    /// A non-negative decimal without sign or leading zeros ("0" alone is canonical), or nil.
    static func canonicalInteger(_ text: Substring) -> Int64? {
        guard let first = text.utf8.first, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            first != 0x30 || text.utf8.count == 1
        else { return nil }
        return Int64(text)
    }

    private static func signedBytes(_ id: Int64, _ name: String, _ expiry: Int64) -> Data {
        Data("gmq-player-v1|\(id)|\(name)|\(expiry)".utf8)
    }
}

/// Staff API keys: random, shown once, stored only as their SHA-256.
public enum StaffKey {
    /// A new key: `gmqk_` and 32 random bytes, base64url.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "gmqk_" + Base64URL.encode(Data(bytes))
    }

    /// The hex SHA-256 under which a key is stored and looked up.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The secret that signs player tokens, kept in the data directory as `secret.key` (64 hex digits, mode 0600).
public enum TokenSecret {
    public static let fileName = "secret.key"

    /// A new random secret (256 bits).
    public static func generate() -> Data { Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }) }

    /// Reads the secret from `directory`, creating a random one on first start.
    public static func loadOrCreate(in directory: URL) throws -> Data {
        let url = directory.appendingPathComponent(Self.fileName)
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            guard let secret = Data(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), secret.count >= 32
            else {
                throw SecretError(path: url.path)
            }
            return secret
        }
        let secret = Self.generate()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        _ = FileManager.default.createFile(
            atPath: url.path, contents: Data(secret.map { String(format: "%02x", $0) }.joined().utf8),
            attributes: [.posixPermissions: 0o600])
        return secret
    }

    public struct SecretError: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "\(path) does not hold a token secret (64 or more hex digits); restore it from backup or delete it "
                + "to generate a new one (tokens signed with the old secret stop working)"
        }
    }
}

enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes canonical base64url only: the alphabet `A–Z a–z 0–9 - _`, no padding, and no bits set beyond the
    /// data (re-encoding gives the same text), so that each value has exactly one spelling.
    static func decode(_ text: Substring) -> Data? {
        let alphabet = text.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x5F
        }
        guard alphabet, text.utf8.count % 4 != 1 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), self.encode(data) == text else { return nil }
        return data
    }
}

extension Data {
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
