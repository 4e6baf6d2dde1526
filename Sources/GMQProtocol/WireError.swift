/// Why a frame's payload could not be read as the message its type names.
/// The description names the field and never echoes the payload's text.
public enum WireDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload ended before `field` was complete.
    case truncated(field: String)
    /// The payload had bytes left after its last field.
    case trailingBytes(count: Int)
    /// A string field was not valid UTF-8.
    case invalidUTF8(field: String)
    /// A string or list was longer than the spec allows.
    case tooLong(field: String, maximum: Int)
    /// An enumerated field held a value the spec does not define.
    case invalidValue(field: String, value: UInt64)
    /// The frame's type is not one this version of the protocol defines.
    case unknownMessageType(UInt16)

    public var description: String {
        switch self {
        case .truncated(let field): return "payload ends inside field '\(field)'"
        case .trailingBytes(let count): return "payload has \(count) unexpected byte(s) after its last field"
        case .invalidUTF8(let field): return "field '\(field)' is not valid UTF-8"
        case .tooLong(let field, let maximum): return "field '\(field)' exceeds its limit of \(maximum)"
        case .invalidValue(let field, let value): return "field '\(field)' has undefined value \(value)"
        case .unknownMessageType(let type): return "unknown message type 0x\(String(type, radix: 16))"
        }
    }
}

/// Why the byte stream itself cannot be trusted any more; the connection must be closed.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthTooSmall(UInt32)
    case lengthTooLarge(UInt32)

    public var description: String {
        switch self {
        case .lengthTooSmall(let length):
            return "frame length \(length) is below the minimum of \(ProtocolLimits.minimumFrameLength)"
        case .lengthTooLarge(let length):
            return "frame length \(length) exceeds the maximum of \(ProtocolLimits.maximumFrameLength)"
        }
    }
}
