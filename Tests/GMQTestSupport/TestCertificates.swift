import Foundation

/// A private certificate authority and a server certificate it signed for 127.0.0.1 and localhost, made with the
/// system's `openssl` in a temporary directory: what an operator's own CA would issue.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var authority: String { self.directory.appendingPathComponent("ca.pem").path }
    public var certificate: String { self.directory.appendingPathComponent("server.pem").path }
    public var key: String { self.directory.appendingPathComponent("server.key").path }
    /// A second authority that signed nothing gmqd presents: a client trusting only it must refuse the server.
    public var strangerAuthority: String { self.directory.appendingPathComponent("stranger.pem").path }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gmq-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func openssl(_ arguments: [String]) throws {
            let process = ChildProcess()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = directory
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure(description: "openssl \(arguments.joined(separator: " ")) failed: \(text)")
            }
        }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for name in ["ca", "stranger"] {
            try openssl(["req", "-x509"] + curve + [
                "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", "/CN=GMQueue test \(name)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ])
        }
        try openssl(["req", "-new"] + curve + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ])
        return TestCertificates(directory: directory)
    }
}
