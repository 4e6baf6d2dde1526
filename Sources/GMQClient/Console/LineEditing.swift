/// The line editor's state as a pure value: keys go in, the edited line and what to do come out. The terminal
/// shell (`Terminal`) turns bytes into keys and draws; everything here is tested without a terminal.
public struct LineEditing: Sendable {
    public enum Key: Sendable, Equatable {
        case character(Character)
        case enter
        case backspace
        case delete
        case left, right, up, down, home, end
        case killToStart, killToEnd, killWord
        case interrupt
        case endOfInput
        case clearScreen
    }

    public enum Action: Sendable, Equatable {
        /// Redraw the line.
        case redraw
        /// A line was entered (and added to the history if not blank or a repeat).
        case submit(String)
        /// Ctrl-C: the line was dropped.
        case cancel
        /// Ctrl-D on an empty line: the user is done.
        case finish
        case clearScreen
    }

    public private(set) var line: [Character] = []
    /// Cursor position in `line`, 0...line.count.
    public private(set) var cursor = 0
    public private(set) var history: [String] = []
    /// While browsing the history: which entry is shown, and the line being edited before browsing began.
    private var browsing: (index: Int, draft: [Character])?
    /// How many entries are kept (a console session of a few hours).
    public static let historyLimit = 500

    public init(history: [String] = []) { self.history = history }

    public var text: String { String(self.line) }

    public mutating func feed(_ key: Key) -> Action {
        switch key {
        case .character(let character):
            self.line.insert(character, at: self.cursor)
            self.cursor += 1
        case .enter:
            let entered = self.text
            self.line = []
            self.cursor = 0
            self.browsing = nil
            if entered.contains(where: { !$0.isWhitespace }), self.history.last != entered {
                self.history.append(entered)
                if self.history.count > Self.historyLimit { self.history.removeFirst() }
            }
            return .submit(entered)
        case .backspace:
            guard self.cursor > 0 else { return .redraw }
            self.cursor -= 1
            self.line.remove(at: self.cursor)
        case .delete:
            guard self.cursor < self.line.count else { return .redraw }
            self.line.remove(at: self.cursor)
        case .left: self.cursor = max(0, self.cursor - 1)
        case .right: self.cursor = min(self.line.count, self.cursor + 1)
        case .home: self.cursor = 0
        case .end: self.cursor = self.line.count
        case .up:
            guard !self.history.isEmpty else { return .redraw }
            let index = (self.browsing?.index ?? self.history.count) - 1
            guard index >= 0 else { return .redraw }
            if self.browsing == nil { self.browsing = (index, self.line) }
            self.browsing?.index = index
            self.show(Array(self.history[index]))
        case .down:
            guard let browsing = self.browsing else { return .redraw }
            if browsing.index + 1 < self.history.count {
                self.browsing?.index = browsing.index + 1
                self.show(Array(self.history[browsing.index + 1]))
            } else {
                self.browsing = nil
                self.show(browsing.draft)
            }
        case .killToStart:
            self.line.removeFirst(self.cursor)
            self.cursor = 0
        case .killToEnd:
            self.line.removeLast(self.line.count - self.cursor)
        case .killWord:
            var start = self.cursor
            while start > 0, self.line[start - 1].isWhitespace { start -= 1 }
            while start > 0, !self.line[start - 1].isWhitespace { start -= 1 }
            self.line.removeSubrange(start..<self.cursor)
            self.cursor = start
        case .interrupt:
            self.line = []
            self.cursor = 0
            self.browsing = nil
            return .cancel
        case .endOfInput:
            if self.line.isEmpty { return .finish }
            return self.feed(.delete)
        case .clearScreen:
            return .clearScreen
        }
        return .redraw
    }

    private mutating func show(_ line: [Character]) {
        self.line = line
        self.cursor = line.count
    }
}

/// Turns terminal input bytes into keys: UTF-8 characters, control keys and the VT100/xterm escape sequences
/// for arrows, Home, End and Delete. Incomplete sequences wait for more bytes.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [LineEditing.Key] {
        self.pending.append(contentsOf: bytes)
        var keys: [LineEditing.Key] = []
        while let (key, used) = Self.next(self.pending) {
            self.pending.removeFirst(used)
            if let key { keys.append(key) }
        }
        return keys
    }

    /// The first key in `bytes` and how many bytes it took; nil when more bytes are needed. A nil key consumes
    /// bytes that mean nothing here.
    static func next(_ bytes: [UInt8]) -> (LineEditing.Key?, Int)? {
        guard let first = bytes.first else { return nil }
        switch first {
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x01: return (.home, 1)
        case 0x05: return (.end, 1)
        case 0x02: return (.left, 1)
        case 0x06: return (.right, 1)
        case 0x10: return (.up, 1)
        case 0x0E: return (.down, 1)
        case 0x15: return (.killToStart, 1)
        case 0x0B: return (.killToEnd, 1)
        case 0x17: return (.killWord, 1)
        case 0x03: return (.interrupt, 1)
        case 0x04: return (.endOfInput, 1)
        case 0x0C: return (.clearScreen, 1)
        case 0x1B:
            guard bytes.count >= 2 else { return nil }
            guard bytes[1] == UInt8(ascii: "[") || bytes[1] == UInt8(ascii: "O") else { return (nil, 1) }
            guard bytes.count >= 3 else { return nil }
            switch bytes[2] {
            case UInt8(ascii: "A"): return (.up, 3)
            case UInt8(ascii: "B"): return (.down, 3)
            case UInt8(ascii: "C"): return (.right, 3)
            case UInt8(ascii: "D"): return (.left, 3)
            case UInt8(ascii: "H"): return (.home, 3)
            case UInt8(ascii: "F"): return (.end, 3)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let tilde = bytes.dropFirst(2).firstIndex(of: UInt8(ascii: "~")) else {
                    return bytes.count > 8 ? (nil, bytes.count) : nil
                }
                let code = String(decoding: bytes[2..<tilde], as: UTF8.self)
                let key: LineEditing.Key? = switch code {
                case "1", "7": .home
                case "4", "8": .end
                case "3": .delete
                default: nil
                }
                return (key, tilde + 1)
            default: return (nil, 3)
            }
        case 0x00..<0x20: return (nil, 1)
        default:
            let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
            guard bytes.count >= length else { return nil }
            guard let string = String(validating: bytes[0..<length], as: UTF8.self), let character = string.first
            else { return (nil, 1) }
            return (.character(character), length)
        }
    }
}
