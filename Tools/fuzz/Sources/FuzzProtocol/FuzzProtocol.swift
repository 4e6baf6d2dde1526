import GMQProtocol
import NIOCore

/// libFuzzer entry point for the wire codec: the frame decoder on the raw input as a byte stream, and every
/// message decoder on the input as a payload. Whatever decodes must encode back to the same bytes' meaning
/// (decode(encode(m)) == m); nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)

    // 1. The stream: frames until the input runs out or is refused.
    var decoder = FrameDecoder()
    var stream = ByteBuffer(bytes: bytes)
    while true {
        guard let frame = try? decoder.decode(buffer: &stream) else { break }
        if let message = try? frame.message() { roundTrip(message) }
    }

    // 2. The input as the payload of each message type, chosen by its first byte.
    guard size >= 1 else { return 0 }
    let types = MessageType.allCases
    let type = types[Int(bytes[0]) % types.count]
    var payload = ByteBuffer(bytes: bytes.dropFirst())
    if let message = try? Message.decode(type: type.rawValue, payload: &payload) { roundTrip(message) }
    return 0
}

private func roundTrip(_ message: Message) {
    var buffer = ByteBuffer()
    message.payload.encode(into: &buffer)
    guard let again = try? Message.decode(type: message.type.rawValue, payload: &buffer), again == message else {
        fatalError("round trip failed for \(message.type)")
    }
}

/// libFuzzer's driver, from its runtime: runs the fuzzing loop with `callback` as the target.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; it starts libFuzzer's driver.
@_cdecl("FuzzProtocol_main")
public func fuzzProtocolMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}
