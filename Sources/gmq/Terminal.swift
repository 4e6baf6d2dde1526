import Foundation
import GMQClient

#if canImport(Glibc)
import Glibc
#endif

/// The console's terminal: reads lines with editing and history in raw mode when standard input is a terminal
/// (plain lines otherwise), and prints live output above the prompt without disturbing what is being typed.
/// Lines come from a reading thread; drawing is serialised by a lock.
final class Terminal: @unchecked Sendable {
    let interactive: Bool
    private let lock = NSLock()
    private var editing = LineEditing()
    private var prompt = "> "
    private var original = termios()

    init() {
        self.interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Puts the terminal in raw mode (no echo, no line buffering, Ctrl-C read as a key). `restore()` undoes it.
    func start() {
        guard self.interactive else { return }
        tcgetattr(STDIN_FILENO, &self.original)
        var raw = self.original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
    }

    func restore() {
        guard self.interactive else { return }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &self.original)
        self.write("\r\n")
    }

    var history: [String] { self.lock.withLock { self.editing.history } }

    func setPrompt(_ prompt: String) {
        self.lock.withLock {
            self.prompt = prompt
            if self.interactive { self.write(self.redrawSequence()) }
        }
    }

    /// Prints `text` above the prompt line; the line being typed is redrawn after it.
    func say(_ text: String) {
        self.lock.withLock {
            if self.interactive {
                // Raw mode keeps output processing on, so "\n" reaches the screen as a new line.
                self.write("\r\u{1B}[2K" + text + "\n" + self.redrawSequence())
            } else {
                self.write(text + "\n")
            }
        }
    }

    /// The entered lines, until end of input (Ctrl-D on an empty line, or the end of a piped file).
    func lines() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let thread = Thread { [self] in
            if self.interactive {
                self.lock.withLock { self.write(self.redrawSequence()) }
                var decoder = KeyDecoder()
                var buffer = [UInt8](repeating: 0, count: 256)
                reading: while true {
                    let count = read(STDIN_FILENO, &buffer, buffer.count)
                    guard count > 0 else { break }
                    for key in decoder.feed(buffer[0..<count]) {
                        let action = self.lock.withLock { self.editing.feed(key) }
                        switch action {
                        case .redraw:
                            self.lock.withLock { self.write(self.redrawSequence()) }
                        case .submit(let line):
                            self.lock.withLock { self.write("\r\n") }
                            continuation.yield(line)
                        case .cancel:
                            self.lock.withLock { self.write("^C\r\n" + self.redrawSequence()) }
                        case .finish:
                            break reading
                        case .clearScreen:
                            self.lock.withLock { self.write("\u{1B}[H\u{1B}[2J" + self.redrawSequence()) }
                        }
                    }
                }
            } else {
                while let line = readLine() { continuation.yield(line) }
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }

    /// Clears the line, writes the prompt and the line being edited, and puts the cursor where it belongs.
    private func redrawSequence() -> String {
        let back = self.editing.line.count - self.editing.cursor
        return "\r\u{1B}[2K" + self.prompt + self.editing.text + (back > 0 ? "\u{1B}[\(back)D" : "")
    }

    private func write(_ text: String) {
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }
}
