import Foundation
import GMQProtocol

import NIOCore
import NIOSSL

/// TLS for a port (issue 11 §1): the certificate chain and key gmqd presents, from PEM files.
public struct ServerTLS: Sendable {
    let context: NIOSSLContext

    /// Loads `certificate` (PEM, the server's certificate first, then any intermediates) and `key` (PEM).
    public init(certificate: String, key: String) throws(ServerTLSError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw .unreadable(path: certificate, what: "a PEM certificate chain", error: "\(error)")
        }
        guard !chain.isEmpty else { throw .unreadable(path: certificate, what: "a PEM certificate chain", error: "no certificate in it") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw .unreadable(path: key, what: "a PEM private key", error: "\(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .mismatch(certificate: certificate, key: key, error: "\(error)")
        }
    }
}

public enum ServerTLSError: Error, CustomStringConvertible {
    case unreadable(path: String, what: String, error: String)
    case mismatch(certificate: String, key: String, error: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let what, let error):
            "\(path) does not hold \(what) (\(error)); give the PEM files your certificate authority issued"
        case .mismatch(let certificate, let key, let error):
            "the key \(key) does not fit the certificate \(certificate) (\(error)); give the key the certificate was issued for"
        }
    }
}

/// First on a TLS port's pipeline: a connection whose first byte is not a TLS handshake record (0x16) is a
/// plain-text client. It is told so in plain protocol (ERROR `tls_required` on request id 0, readable by any
/// client of PROTOCOL.md) and closed, instead of failing inside a TLS handshake it cannot read.
final class TLSRequiredSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let handshakeRecord: UInt8 = 0x16

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
        if first == Self.handshakeRecord {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        var frame = context.channel.allocator.buffer(capacity: 128)
        Envelope(requestID: 0, message: .error(ErrorMessage(
            .tlsRequired, "this port speaks TLS only; connect with TLS (gmq --tls, gmq-player --tls) and trust the "
                + "server's certificate (--ca FILE for a private authority)"))).encode(into: &frame)
        context.writeAndFlush(NIOAny(frame)).whenComplete { _ in context.close(promise: nil) }
    }
}
