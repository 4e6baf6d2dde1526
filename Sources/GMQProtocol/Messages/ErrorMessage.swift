import NIOCore

/// ERROR: the response to a request that failed, or to a frame that could not be read (PROTOCOL.md §5.3).
public struct ErrorMessage: WireMessage, Error {
    public static let messageType = MessageType.error
    public var code: ErrorCode
    /// A message for a person: what was wrong and what to do.
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.code.rawValue, endianness: .big)
        buffer.writeWireString(self.message)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        // Unknown codes are kept, not refused: a newer server may send codes this client does not know.
        Self(
            ErrorCode(rawValue: try buffer.readWire(UInt16.self, field: "code")),
            try buffer.readWireString(field: "message", maximumBytes: ProtocolLimits.maximumTextBytes)
        )
    }
}

/// The stable error codes of PROTOCOL.md §6. A struct, not an enum, so that codes added later still decode.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let malformedFrame = Self(rawValue: 1)
    public static let frameTooLarge = Self(rawValue: 2)
    public static let unknownMessageType = Self(rawValue: 3)
    public static let malformedPayload = Self(rawValue: 4)
    public static let unsupportedVersion = Self(rawValue: 5)
    public static let handshakeRequired = Self(rawValue: 6)
    public static let alreadyAuthenticated = Self(rawValue: 7)
    public static let invalidCredential = Self(rawValue: 8)
    public static let credentialExpired = Self(rawValue: 9)
    public static let wrongPort = Self(rawValue: 10)
    public static let forbidden = Self(rawValue: 11)
    public static let notFound = Self(rawValue: 12)
    public static let alreadyClaimed = Self(rawValue: 13)
    public static let notAssignee = Self(rawValue: 14)
    public static let invalidTransition = Self(rawValue: 15)
    public static let invalidArgument = Self(rawValue: 16)
    public static let unknownCategory = Self(rawValue: 17)
    public static let queueEmpty = Self(rawValue: 18)
    public static let busy = Self(rawValue: 19)
    public static let internalError = Self(rawValue: 20)
    public static let timeout = Self(rawValue: 21)
    public static let connectionLimit = Self(rawValue: 22)
    public static let limitReached = Self(rawValue: 23)
    /// A client sent a type that only the server sends (a response or push).
    public static let notARequest = Self(rawValue: 24)
    /// The staff account was disabled or its key replaced: at HELLO, or pushed before the server closes an open
    /// session.
    public static let credentialRevoked = Self(rawValue: 25)
    /// A plain-text connection to a port that speaks TLS only; sent in plain text, then the connection closes.
    public static let tlsRequired = Self(rawValue: 26)

    private static let names: [UInt16: String] = [
        1: "malformed_frame", 2: "frame_too_large", 3: "unknown_message_type", 4: "malformed_payload",
        5: "unsupported_version", 6: "handshake_required", 7: "already_authenticated", 8: "invalid_credential",
        9: "credential_expired", 10: "wrong_port", 11: "forbidden", 12: "not_found", 13: "already_claimed",
        14: "not_assignee", 15: "invalid_transition", 16: "invalid_argument", 17: "unknown_category",
        18: "queue_empty", 19: "busy", 20: "internal_error", 21: "timeout", 22: "connection_limit",
        23: "limit_reached", 24: "not_a_request", 25: "credential_revoked", 26: "tls_required",
    ]

    /// The snake_case name from the spec, or `code_N` for a code this version does not know.
    public var name: String { Self.names[self.rawValue] ?? "code_\(self.rawValue)" }
    public var description: String { self.name }
}
