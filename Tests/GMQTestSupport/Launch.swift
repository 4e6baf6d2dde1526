import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process for the tests (gmqd, gmq, gmq-player, make, a shell), started with `posix_spawn` directly.
///
/// Not Foundation's `Process`: on Linux its `run()` finds the highest open descriptor by reading `/proc/self/fd`
/// and copies each entry's whole 256-byte `d_name`, past the entry's end. The test process holds up to some 4,000
/// descriptors at its peak (servers, thousands of test connections, both ends in one process); then a directory
/// buffer fills to its end and the copy can run off the heap's last mapped page. The suite crashed so, with signal
/// 11 in `memmove` under `Process.run`, in about one run of ten. Here the child closes every descriptor from 3 up
/// with one file action (`closefrom`), and nothing reads `/proc`.
///
/// The same surface as the part of `Process` the tests use: set the executable, arguments, environment, directory
/// and standard streams (a `Pipe`, a `FileHandle`, or nil for /dev/null; the test process's own by default), `run`,
/// then wait, signal or read the status.
public final class ChildProcess: @unchecked Sendable {
    public typealias TerminationReason = Process.TerminationReason

    public var executableURL: URL?
    public var arguments: [String] = []
    /// nil: the test process's environment.
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    public var standardInput: Any? = FileHandle.standardInput
    public var standardOutput: Any? = FileHandle.standardOutput
    public var standardError: Any? = FileHandle.standardError
    /// Called once, on a thread of its own, when the child has exited.
    public var terminationHandler: (@Sendable (ChildProcess) -> Void)?

    private struct Exit {
        var status: Int32
        var reason: TerminationReason
    }

    private let state = NSCondition()
    private var exit: Exit?
    public private(set) var processIdentifier: pid_t = 0

    public init() {}

    public var isRunning: Bool {
        self.state.lock()
        defer { self.state.unlock() }
        return self.processIdentifier != 0 && self.exit == nil
    }

    /// The exit code, or the signal that ended it.
    public var terminationStatus: Int32 { self.finished.status }
    public var terminationReason: TerminationReason { self.finished.reason }

    private var finished: Exit {
        self.state.lock()
        defer { self.state.unlock() }
        guard let exit = self.exit else { preconditionFailure("the child process is still running") }
        return exit
    }

    public func waitUntilExit() {
        self.state.lock()
        while self.exit == nil { self.state.wait() }
        self.state.unlock()
    }

    public func terminate() { self.signal(SIGTERM) }
    public func interrupt() { self.signal(SIGINT) }

    private func signal(_ signal: Int32) {
        precondition(self.processIdentifier != 0, "the child process was not started")
        if self.isRunning { kill(self.processIdentifier, signal) }
    }

    public func run() throws {
        guard let executable = self.executableURL?.path else { throw SpawnError(call: "run", code: ENOENT, path: "") }
        precondition(self.processIdentifier == 0, "a child process runs once")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // What the parent closes once the child has its copy: the child's ends of pipes, and /dev/null.
        var closeAfter: [Int32] = []
        defer { for fd in closeAfter { close(fd) } }
        for (stream, target, reading) in [
            (self.standardInput, STDIN_FILENO, true), (self.standardOutput, STDOUT_FILENO, false),
            (self.standardError, STDERR_FILENO, false),
        ] {
            let fd: Int32
            switch stream {
            case let pipe as Pipe:
                let end = reading ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                fd = end.fileDescriptor
            case let handle as FileHandle:
                fd = handle.fileDescriptor
            default:
                fd = open("/dev/null", O_RDWR | O_CLOEXEC)
                guard fd >= 0 else { throw SpawnError(call: "open /dev/null", code: errno, path: executable) }
                closeAfter.append(fd)
            }
            if fd == target {
                // dup2 onto itself would keep close-on-exec; the test process's own stream is inherited as it is.
                continue
            }
            try check(posix_spawn_file_actions_adddup2(&actions, fd, target), "adddup2", executable)
        }
        try check(closeFrom(&actions, 3), "addclosefrom", executable)
        if let directory = self.currentDirectoryURL?.path {
            try check(changeDirectory(&actions, directory), "addchdir", executable)
        }
        // Its own process group (as Foundation's), no signal blocked and the usual signals at their defaults, as
        // a shell starts a command: a test runner may block some (a child would ignore the SIGTERM that stops it)
        // and ignores SIGPIPE (a script's `echo … | grep -q` would then fail with EPIPE instead of ending quietly).
        var none = sigset_t()
        sigemptyset(&none)
        try check(posix_spawnattr_setsigmask(&attributes, &none), "setsigmask", executable)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "setsigdefault", executable)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "setflags", executable)

        let argv = ([executable] + self.arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = self.environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        try check(posix_spawn(&pid, executable, &actions, &attributes, argv, envp), "posix_spawn", executable)
        self.state.lock()
        self.processIdentifier = pid
        self.state.unlock()

        // The parent's copies of the child's pipe ends: a reader sees end of file when the child exits.
        for (stream, reading) in [(self.standardInput, true), (self.standardOutput, false), (self.standardError, false)] {
            guard let pipe = stream as? Pipe else { continue }
            try? (reading ? pipe.fileHandleForReading : pipe.fileHandleForWriting).close()
        }
        let child = pid
        let waiter = Thread { [self] in self.reap(child) }
        waiter.name = "wait \(child)"
        waiter.start()
    }

    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        let exit = signal == 0
            ? Exit(status: (status >> 8) & 0xff, reason: .exit) : Exit(status: signal, reason: .uncaughtSignal)
        self.state.lock()
        self.exit = exit
        self.state.broadcast()
        let handler = self.terminationHandler
        self.state.unlock()
        handler?(self)
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var call: String
        public var code: Int32
        public var path: String
        public var description: String { "\(self.call) failed for \(self.path): \(String(cString: strerror(self.code)))" }
    }

    private func check(_ result: Int32, _ call: String, _ path: String) throws {
        guard result == 0 else { throw SpawnError(call: call, code: result, path: path) }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later) and `posix_spawn_file_actions_addchdir_np`
/// (2.29), which Swift's Glibc module does not import: looked up once by name.
private func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
    guard let function = addCloseFrom else { return ENOSYS }
    return function(actions, lowest)
}

private func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
    guard let function = addChangeDirectory else { return ENOSYS }
    return path.withCString { function(actions, $0) }
}

private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
private typealias AddChangeDirectory = @convention(c) (
    UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
) -> Int32

private func symbol<T>(_ name: String, as type: T.Type) -> T? {
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
}

private let addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)
private let addChangeDirectory = symbol("posix_spawn_file_actions_addchdir_np", as: AddChangeDirectory.self)
