/// Which IP addresses the checker may connect to without `--allow-private`.
///
/// Reported URLs come from strangers; a URL (or a redirect, or a DNS answer)
/// that points into the helpline's own network must not make the checker
/// fetch from it. The check runs on the address a socket is about to be
/// opened to, after DNS and redirects, so neither can get around it.
public enum AddressPolicy {
    /// Why `address` (4 or 16 bytes) is refused, or nil when it is a public address.
    public static func refusal(_ address: [UInt8]) -> String? {
        switch address.count {
        case 4: return refusal(ipv4: address)
        case 16: return refusal(ipv6: address)
        default: return "not an IP address"
        }
    }

    static func refusal(ipv4 a: [UInt8]) -> String? {
        switch (a[0], a[1]) {
        case (0, _): return "a 'this network' address (0.0.0.0/8)"
        case (10, _): return "a private address (10.0.0.0/8)"
        case (100, 64...127): return "a carrier-grade NAT address (100.64.0.0/10)"
        case (127, _): return "a loopback address (127.0.0.0/8)"
        case (169, 254): return "a link-local address (169.254.0.0/16)"
        case (172, 16...31): return "a private address (172.16.0.0/12)"
        case (192, 168): return "a private address (192.168.0.0/16)"
        case (192, 0) where a[2] == 0: return "an IETF protocol address (192.0.0.0/24)"
        case (192, 0) where a[2] == 2, (198, 51) where a[2] == 100, (203, 0) where a[2] == 113:
            return "a documentation address"
        case (198, 18...19): return "a benchmarking address (198.18.0.0/15)"
        case (224...239, _): return "a multicast address (224.0.0.0/4)"
        case (240...255, _): return "a reserved or broadcast address (240.0.0.0/4)"
        default: return nil
        }
    }

    static func refusal(ipv6 a: [UInt8]) -> String? {
        let firstTen = a[0..<10].allSatisfy { $0 == 0 }
        if firstTen && a[10] == 0xFF && a[11] == 0xFF { return "an IPv4-mapped address (::ffff:0:0/96)" }
        if a[0..<15].allSatisfy({ $0 == 0 }) {
            return a[15] == 1 ? "the IPv6 loopback address (::1)" : a[15] == 0 ? "the unspecified address (::)" : "an IPv4-compatible address (::/96)"
        }
        if firstTen && a[10] == 0 && a[11] == 0 { return "an IPv4-compatible address (::/96)" }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B {
            // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) reaches the IPv4 address inside.
            if a[4] == 0 && a[5] == 1 { return "a local-use NAT64 address (64:ff9b:1::/48)" }
            if let inner = refusal(ipv4: Array(a[12..<16])) { return "a NAT64 address of \(inner)" }
            return nil
        }
        if a[0] == 0x20 && a[1] == 0x02 {
            if let inner = refusal(ipv4: Array(a[2..<6])) { return "a 6to4 address of \(inner)" }
            return nil
        }
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x00 && a[3] == 0x00 { return "a Teredo tunnel address (2001::/32)" }
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return "a documentation address (2001:db8::/32)" }
        if a[0] == 0x01 && a[1] == 0x00 && a[2..<8].allSatisfy({ $0 == 0 }) { return "a discard address (100::/64)" }
        if a[0] & 0xFE == 0xFC { return "a unique local (private) address (fc00::/7)" }
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return "a link-local address (fe80::/10)" }
        if a[0] == 0xFE && a[1] & 0xC0 == 0xC0 { return "a site-local address (fec0::/10)" }
        if a[0] == 0xFF { return "a multicast address (ff00::/8)" }
        return nil
    }

    /// The usual text form of an address: dotted IPv4, compressed IPv6.
    public static func text(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        guard address.count == 16 else { return "?" }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(address[$0]) << 8 | Int(address[$0 + 1]) }
        // The longest run of two or more zero groups becomes "::".
        var best: Range<Int>?
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index >= 2 && (best.map { end - index > $0.count } ?? true) { best = index..<end }
            index = end
        }
        let hex = { (range: ArraySlice<Int>) in range.map { String($0, radix: 16) }.joined(separator: ":") }
        guard let best else { return hex(groups[...]) }
        return hex(groups[..<best.lowerBound]) + "::" + hex(groups[best.upperBound...])
    }
}
