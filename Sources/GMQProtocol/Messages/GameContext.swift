import NIOCore

/// Where the player's character stood when the request was written: what a GM needs to act without asking
/// (PROTOCOL.md §5.5).
public struct GameContext: WireValue {
    public var realm: String
    public var characterID: UInt64
    public var characterName: String
    public var mapID: UInt32
    public var zone: String
    public var x: Float
    public var y: Float
    public var z: Float
    public var clientBuild: String

    public init(
        realm: String = "", characterID: UInt64 = 0, characterName: String = "", mapID: UInt32 = 0,
        zone: String = "", x: Float = 0, y: Float = 0, z: Float = 0, clientBuild: String = ""
    ) {
        self.realm = realm
        self.characterID = characterID
        self.characterName = characterName
        self.mapID = mapID
        self.zone = zone
        self.x = x
        self.y = y
        self.z = z
        self.clientBuild = clientBuild
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(self.realm)
        buffer.writeInteger(self.characterID, endianness: .big)
        buffer.writeWireString(self.characterName)
        buffer.writeInteger(self.mapID, endianness: .big)
        buffer.writeWireString(self.zone)
        buffer.writeWireFloat(self.x)
        buffer.writeWireFloat(self.y)
        buffer.writeWireFloat(self.z)
        buffer.writeWireString(self.clientBuild)
    }

    public static func decode(from buffer: inout ByteBuffer) throws(WireDecodingError) -> Self {
        let name = ProtocolLimits.maximumNameBytes
        return Self(
            realm: try buffer.readWireString(field: "realm", maximumBytes: name),
            characterID: try buffer.readWire(UInt64.self, field: "character_id"),
            characterName: try buffer.readWireString(field: "character_name", maximumBytes: name),
            mapID: try buffer.readWire(UInt32.self, field: "map_id"),
            zone: try buffer.readWireString(field: "zone", maximumBytes: name),
            x: try buffer.readWireFloat(field: "x"),
            y: try buffer.readWireFloat(field: "y"),
            z: try buffer.readWireFloat(field: "z"),
            clientBuild: try buffer.readWireString(field: "client_build", maximumBytes: name)
        )
    }
}
