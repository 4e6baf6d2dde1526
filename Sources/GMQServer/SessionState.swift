import GMQCore
import GMQProtocol

/// A connection's handshake and authentication state, as a pure state machine: a frame's kind goes in, what to do
/// comes out. Which port the session is on decides who may open it.
struct SessionState {
    enum Port: Sendable {
        case player
        case staff
    }

    enum State: Equatable {
        case awaitingHello
        case authenticated(Actor)
    }

    /// What the handler does with a request.
    enum Action: Equatable {
        /// Check the credential of this HELLO.
        case authenticate(Hello)
        /// Serve the request as `actor`.
        case serve(Actor)
        /// Answer with this error; `close` when the session cannot go on.
        case refuse(ErrorMessage, close: Bool)
        /// Answer at once, whatever the state (PING).
        case respond(Message)
    }

    let port: Port
    private(set) var state: State = .awaitingHello

    init(port: Port) { self.port = port }

    /// What to do with `message`. The rules apply in this order, the first that matches wins (PROTOCOL.md §6.1):
    /// a type only the server sends, PING, the handshake, then the port.
    mutating func received(_ message: Message) -> Action {
        let sender = message.type.sender
        if sender == .server {
            return .refuse(
                ErrorMessage(
                    .notARequest,
                    "\(message.type.specName) is sent only by the server, as a response or push; a client sends the "
                        + "requests of PROTOCOL.md §5"),
                close: false)
        }
        switch (self.state, message) {
        case (_, .ping(let ping)):
            return .respond(.pong(Pong(nonce: ping.nonce)))
        case (.awaitingHello, .hello(let hello)):
            guard ProtocolLimits.supportedVersions.contains(hello.protocolVersion) else {
                let versions = ProtocolLimits.supportedVersions.map(String.init).joined(separator: ", ")
                return .refuse(
                    ErrorMessage(
                        .unsupportedVersion,
                        "protocol version \(hello.protocolVersion) is not supported; this server speaks \(versions)"),
                    close: true)
            }
            switch (self.port, hello.clientKind) {
            case (.player, .player), (.staff, .staff):
                return .authenticate(hello)
            case (.player, .staff):
                return .refuse(
                    ErrorMessage(.wrongPort, "staff sessions are served on the staff port, not the player port"),
                    close: true)
            case (.staff, .player):
                return .refuse(
                    ErrorMessage(.wrongPort, "player sessions are served on the player port, not the staff port"),
                    close: true)
            }
        case (.awaitingHello, _):
            return .refuse(ErrorMessage(.handshakeRequired, "send HELLO first: no request is served before it"), close: false)
        case (.authenticated, .hello):
            return .refuse(ErrorMessage(.alreadyAuthenticated, "this session is already open; HELLO is sent once"), close: false)
        case (.authenticated(let actor), _):
            switch (self.port, sender) {
            case (.player, .staff):
                return .refuse(
                    ErrorMessage(
                        .wrongPort, "\(message.type.specName) is a staff request; the player port serves only player requests"),
                    close: false)
            case (.staff, .player):
                return .refuse(
                    ErrorMessage(
                        .wrongPort, "\(message.type.specName) is a player request; the staff port serves only staff requests"),
                    close: false)
            default:
                return .serve(actor)
            }
        }
    }

    mutating func authenticated(as actor: Actor) {
        self.state = .authenticated(actor)
    }
}
