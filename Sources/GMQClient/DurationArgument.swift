/// A span typed on a command line: a number and a unit, `90s`, `30m`, `4h`, `2d` or `1w`.
public enum DurationArgument {
    /// The span in whole seconds, or nil when `text` is not one (or not positive).
    public static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount > 0, amount < 1e7 else { return nil }
        let scale: Double? = switch unit {
        case "s": 1
        case "m": 60
        case "h": 3600
        case "d": 86400
        case "w": 7 * 86400
        default: nil
        }
        return scale.map { Int64(amount * $0) }
    }
}

/// PRIORITY's urgency and impact as typed on a command line (PROTOCOL.md §5.27).
public enum PriorityArgument {
    public static let urgencies = ["low", "medium", "high", "critical"]
    public static let impacts = ["player", "group", "realm", "all"]

    /// 1 low … 4 critical, or nil.
    public static func urgency(_ name: String) -> UInt8? {
        self.urgencies.firstIndex(of: name.lowercased()).map { UInt8($0 + 1) }
    }

    /// 1 one player … 4 every realm, or nil.
    public static func impact(_ name: String) -> UInt8? {
        self.impacts.firstIndex(of: name.lowercased()).map { UInt8($0 + 1) }
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same sequence, so that a random sample, a surge
/// or a failing random-input test can be drawn again.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
