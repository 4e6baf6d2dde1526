/// Where the player's character stood when they wrote the request: what a GM needs to act without asking.
public struct GameContext: Sendable, Hashable, Codable {
    public var realm: String
    public var characterID: Int64
    public var characterName: String
    public var mapID: Int64
    public var zone: String
    public var x: Double
    public var y: Double
    public var z: Double
    public var clientBuild: String

    public init(
        realm: String = "", characterID: Int64 = 0, characterName: String = "", mapID: Int64 = 0, zone: String = "",
        x: Double = 0, y: Double = 0, z: Double = 0, clientBuild: String = ""
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
}
