import NIOCore

/// WELCOME: the answer to a valid HELLO (PROTOCOL.md §5.2).
public struct Welcome: WireMessage {
    public static let messageType = MessageType.welcome
    public var protocolVersion: UInt16
    public var role: SessionRole
    /// The player id from the token, or the staff account's id.
    public var principalID: UInt64
    public var displayName: String
    /// How many NOTIFICATION pushes follow this WELCOME: those not yet acknowledged.
    public var pendingNotifications: UInt32

    public init(
        protocolVersion: UInt16 = ProtocolLimits.currentVersion, role: SessionRole, principalID: UInt64,
        displayName: String, pendingNotifications: UInt32
    ) {
        self.protocolVersion = protocolVersion
        self.role = role
        self.principalID = principalID
        self.displayName = displayName
        self.pendingNotifications = pendingNotifications
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.protocolVersion, endianness: .big)
        buffer.writeInteger(self.role.rawValue)
        buffer.writeInteger(self.principalID, endianness: .big)
        buffer.writeWireString(self.displayName)
        buffer.writeInteger(self.pendingNotifications, endianness: .big)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        Self(
            protocolVersion: try buffer.readWire(UInt16.self, field: "protocol_version"),
            role: try buffer.readWireEnum(SessionRole.self, field: "role"),
            principalID: try buffer.readWire(UInt64.self, field: "principal_id"),
            displayName: try buffer.readWireString(field: "display_name", maximumBytes: ProtocolLimits.maximumNameBytes),
            pendingNotifications: try buffer.readWire(UInt32.self, field: "pending_notifications")
        )
    }
}
