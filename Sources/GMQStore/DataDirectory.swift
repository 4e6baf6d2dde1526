import Foundation

/// The data directory of an embedded store: the SQLite database, its WAL and shared-memory files, and the token
/// secret. Every ticket is in these files, so only the account that runs `gmqd` may read them: the directory is
/// created 0700 and the database 0600 (SQLite gives its -wal and -shm files the database file's mode).
public enum DataDirectory {
    public static let databaseName = "gmq.sqlite"

    /// Creates `directory` (mode 0700) if it does not exist; an existing one is left as it is (see `warnings`).
    public static func prepare(_ directory: URL) throws {
        guard !FileManager.default.fileExists(atPath: directory.path) else { return }
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Creates the database file with mode 0600 before SQLite opens it, so that it and the files SQLite creates
    /// beside it are never readable by other accounts, even for a moment.
    static func createPrivately(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        close(descriptor)
    }

    /// One sentence per file or directory that other accounts on the host may read or write, saying what to run.
    public static func warnings(_ directory: URL) -> [String] {
        var found: [String] = []
        let paths = [directory.path] + [databaseName, databaseName + "-wal", databaseName + "-shm", "secret.key"]
            .map { directory.appendingPathComponent($0).path }
        for (index, path) in paths.enumerated() {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
            else { continue }
            let wanted = index == 0 ? "700" : "600"
            found.append(
                "\(path) has mode \(String(mode, radix: 8)): other accounts on this host can read tickets or the "
                    + "token secret; run chmod \(wanted) \(path)")
        }
        return found
    }
}
