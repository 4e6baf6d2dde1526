import NIOCore

/// The primitive encodings of PROTOCOL.md §2: big-endian integers, `f32` as IEEE 754 bits,
/// `str` as a u16 byte count and UTF-8, `list` as a u16 count and its items.
extension ByteBuffer {
    @inlinable
    mutating func readWire<T: FixedWidthInteger>(_: T.Type, field: String) throws(WireDecodingError) -> T {
        guard let value = self.readInteger(endianness: .big, as: T.self) else { throw .truncated(field: field) }
        return value
    }

    /// A finite `f32`: NaN and infinities describe no position and are refused (found by fuzzing: a NaN made
    /// a decoded message unequal to itself).
    mutating func readWireFloat(field: String) throws(WireDecodingError) -> Float {
        let bits = try self.readWire(UInt32.self, field: field)
        let value = Float(bitPattern: bits)
        guard value.isFinite else { throw .invalidValue(field: field, value: UInt64(bits)) }
        return value
    }

    mutating func writeWireFloat(_ value: Float) {
        self.writeInteger(value.bitPattern, endianness: .big)
    }

    mutating func readWireString(field: String, maximumBytes: Int) throws(WireDecodingError) -> String {
        let count = Int(try self.readWire(UInt16.self, field: field))
        guard count <= maximumBytes else { throw .tooLong(field: field, maximum: maximumBytes) }
        guard let view = self.readSlice(length: count) else { throw .truncated(field: field) }
        guard let string = view.readableBytesView.withContiguousStorageIfAvailable({
            String(validating: $0, as: UTF8.self)
        }) ?? String(validating: Array(view.readableBytesView), as: UTF8.self) else {
            throw .invalidUTF8(field: field)
        }
        return string
    }

    /// Writes `string` as a `str`. Callers keep strings within the field's limit; the encoder does not truncate.
    mutating func writeWireString(_ string: String) {
        let lengthIndex = self.writerIndex
        self.writeInteger(UInt16(0), endianness: .big)
        let written = self.writeString(string)
        precondition(written <= UInt16.max, "a wire string is at most 65535 bytes")
        self.setInteger(UInt16(written), at: lengthIndex, endianness: .big)
    }

    /// A `blob`: a u32 byte count, then the bytes (at most `maximumBytes`).
    mutating func readWireBlob(field: String, maximumBytes: Int) throws(WireDecodingError) -> [UInt8] {
        let count = Int(try self.readWire(UInt32.self, field: field))
        guard count <= maximumBytes else { throw .tooLong(field: field, maximum: maximumBytes) }
        guard let bytes = self.readBytes(length: count) else { throw .truncated(field: field) }
        return bytes
    }

    mutating func writeWireBlob(_ bytes: [UInt8]) {
        self.writeInteger(UInt32(bytes.count), endianness: .big)
        self.writeBytes(bytes)
    }

    /// A SHA-256 digest as AUDIT_VERIFIED's `head`: a u8 count, 0 or 32, then the bytes.
    mutating func readWireDigest(field: String) throws(WireDecodingError) -> [UInt8] {
        let count = try self.readWire(UInt8.self, field: field)
        guard count == 0 || count == 32 else { throw .invalidValue(field: field, value: UInt64(count)) }
        guard let bytes = self.readBytes(length: Int(count)) else { throw .truncated(field: field) }
        return bytes
    }

    mutating func writeWireDigest(_ bytes: [UInt8]) {
        self.writeInteger(UInt8(bytes.count))
        self.writeBytes(bytes)
    }

    mutating func readWireList<T>(
        field: String,
        _ readItem: (inout ByteBuffer) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> [T] {
        let count = Int(try self.readWire(UInt16.self, field: field))
        guard count <= ProtocolLimits.maximumListCount else {
            throw .tooLong(field: field, maximum: ProtocolLimits.maximumListCount)
        }
        var items: [T] = []
        items.reserveCapacity(Swift.min(count, self.readableBytes))
        for _ in 0..<count { items.append(try readItem(&self)) }
        return items
    }

    mutating func writeWireList<T>(_ items: [T], _ writeItem: (T, inout ByteBuffer) -> Void) {
        precondition(items.count <= ProtocolLimits.maximumListCount, "lists are limited by the spec")
        self.writeInteger(UInt16(items.count), endianness: .big)
        for item in items { writeItem(item, &self) }
    }

    /// A `bool`: one byte, 0 or 1; anything else is refused.
    mutating func readWireBool(field: String) throws(WireDecodingError) -> Bool {
        let raw = try self.readWire(UInt8.self, field: field)
        guard raw <= 1 else { throw .invalidValue(field: field, value: UInt64(raw)) }
        return raw == 1
    }

    mutating func writeWireBool(_ value: Bool) {
        self.writeInteger(value ? 1 : 0 as UInt8)
    }

    mutating func readWireEnum<T: RawRepresentable>(_: T.Type, field: String) throws(WireDecodingError) -> T
    where T.RawValue == UInt8 {
        let raw = try self.readWire(UInt8.self, field: field)
        guard let value = T(rawValue: raw) else { throw .invalidValue(field: field, value: UInt64(raw)) }
        return value
    }
}
