import Foundation
import NIOCore
import NIOSSL

/// How a client speaks TLS to gmqd (PROTOCOL.md §1): the server's certificate is always checked, against the
/// system's trusted authorities or, with `caFile`, against a private authority only.
public struct ClientTLS: Sendable {
    let context: NIOSSLContext

    public init(caFile: String? = nil) throws(ClientTLSError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw .unreadableAuthority(path: caFile, error: "\(error)")
            }
        }
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .setup("\(error)")
        }
    }

    /// The name sent for SNI and checked against the certificate: a host name; for an IP address the
    /// certificate's IP entries are checked instead.
    static func serverHostname(_ host: String) -> String? {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return isAddress ? nil : host
    }
}

public enum ClientTLSError: Error, CustomStringConvertible {
    case unreadableAuthority(path: String, error: String)
    case setup(String)

    public var description: String {
        switch self {
        case .unreadableAuthority(let path, let error):
            "--ca \(path) does not hold PEM certificates (\(error)); give the certificate of the authority that "
                + "signed gmqd's certificate"
        case .setup(let error): "TLS could not be set up: \(error)"
        }
    }
}

/// `--tls` and `--ca` as the command-line clients take them, with `GMQ_TLS=1` and `GMQ_CA` as defaults.
public enum TLSArguments {
    public static func client(
        flag: Bool, ca: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClientTLSError) -> ClientTLS? {
        let ca = ca ?? environment["GMQ_CA"].flatMap { $0.isEmpty ? nil : $0 }
        let wanted = flag || environment["GMQ_TLS"] == "1" || ca != nil
        return wanted ? try ClientTLS(caFile: ca) : nil
    }
}
