import NIOCore

/// HELLO: the first request of every session (PROTOCOL.md §5.1).
public struct Hello: WireMessage {
    public static let messageType = MessageType.hello
    public var protocolVersion: UInt16
    public var clientKind: ClientKind
    /// A signed player token or a staff API key.
    public var credential: String
    /// The client's locale, e.g. "en" or "ru-RU"; empty when unknown. A hint for player-facing texts.
    public var locale: String
    /// The client software's name and version, for logs; may be empty.
    public var clientName: String

    public init(
        protocolVersion: UInt16 = ProtocolLimits.currentVersion, clientKind: ClientKind, credential: String,
        locale: String = "", clientName: String = ""
    ) {
        self.protocolVersion = protocolVersion
        self.clientKind = clientKind
        self.credential = credential
        self.locale = locale
        self.clientName = clientName
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.protocolVersion, endianness: .big)
        buffer.writeInteger(self.clientKind.rawValue)
        buffer.writeWireString(self.credential)
        buffer.writeWireString(self.locale)
        buffer.writeWireString(self.clientName)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        // The version is read first and alone so that a server can name its versions even when the rest differs.
        let version = try buffer.readWire(UInt16.self, field: "protocol_version")
        return Self(
            protocolVersion: version,
            clientKind: try buffer.readWireEnum(ClientKind.self, field: "client_kind"),
            credential: try buffer.readWireString(
                field: "credential", maximumBytes: ProtocolLimits.maximumCredentialBytes),
            locale: try buffer.readWireString(field: "locale", maximumBytes: ProtocolLimits.maximumNameBytes),
            clientName: try buffer.readWireString(field: "client_name", maximumBytes: ProtocolLimits.maximumNameBytes)
        )
    }
}
