import Foundation

/// Starts `process`, one launch at a time across the test run. Foundation's `Process.run()` crashed once inside its
/// own copying (memmove in `Process.run`, under `swift test` with several suites spawning gmqd, gmq and make at
/// once); launches are quick, so taking them in turn costs nothing the suite can measure.
public func launch(_ process: Process) throws {
    try launches.withLock { try process.run() }
}

private let launches = NSLock()
