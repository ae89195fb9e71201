/// One pass of `URLExtractor` over a line: finds the trigger bytes, decides what
/// each one starts, and builds the candidates.
struct LineScan {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Unowned and unretained: the extractor that owns the set outlives the scan, which lives
    /// inside one `extract` call; counting references here cost more than the scan itself.
    unowned(unsafe) let knownDomains: DomainSet
    var candidates = CandidateList()
    /// Where candidate texts that are not a plain slice of the line are written
    /// (refanged, with a scheme added, unwrapped); lent by the caller and handed back.
    var scratch: ByteBuffer
    /// Where the last candidate ended: looking back never crosses it.
    var floor = 0
    /// See `URLExtractor`.
    let keepsNotes: Bool
    let unwrapsWrappers: Bool

    init(bytes: UnsafeBufferPointer<UInt8>, knownDomains: DomainSet, scratch: ByteBuffer, keepsNotes: Bool = true,
         unwrapsWrappers: Bool = true) {
        self.bytes = bytes
        self.knownDomains = knownDomains
        self.scratch = scratch
        self.keepsNotes = keepsNotes
        self.unwrapsWrappers = unwrapsWrappers
    }

    mutating func run() {
        let n = bytes.count
        var i = ByteSearch.nextTrigger(in: bytes, from: 0)
        while i < n {
            var resume: Int?
            switch bytes[i] {
            case UInt8(ascii: ":"):
                resume = scheme(colonAt: i, length: 1, form: nil)
            case UInt8(ascii: "."):
                resume = schemelessHost(dotAt: i, length: 1)
            default:
                if let found = Defang.match(bytes, at: i) {
                    resume = found.kind == .dot
                        ? schemelessHost(dotAt: i, length: found.length)
                        : scheme(colonAt: i, length: found.length, form: found.kind)
                }
            }
            i = ByteSearch.nextTrigger(in: bytes, from: resume ?? i + 1)
        }
    }

    // MARK: - Links with a scheme

    /// Handles a colon (or a defanged `[:]`, `[://]`) at `colon`; returns where to resume, or nil if nothing was found.
    mutating func scheme(colonAt colon: Int, length: Int, form: Defang.Kind?) -> Int? {
        // "Note: see" — a colon followed by a space starts no link of any kind.
        guard colon + length < bytes.count, bytes[colon + length] > 0x20 else { return nil }
        var start = colon
        while start > floor, ASCIISet.schemeChar.contains(bytes[start - 1]) { start -= 1 }
        guard start < colon else { return nil }
        var kind = Schemes.classify(bytes, start..<colon)
        if !kind.isWeb {
            // "1.https://…" or "x-https://…": a web scheme glued to the word before it.
            var letters = colon
            while letters > start, ByteClass.isLetter(bytes[letters - 1]) { letters -= 1 }
            let suffix = Schemes.classify(bytes, letters..<colon)
            if letters > start, suffix.isWeb {
                start = letters
                kind = suffix
            }
        }
        let afterColon = colon + length
        switch kind {
        case .web(let refanged):
            return webLink(start: start, schemeEnd: colon, afterColon: afterColon, form: form, refanged: refanged)
        case .other:
            return otherScheme(start: start, schemeEnd: colon, afterColon: afterColon, form: form)
        case .invalid:
            return nil
        }
    }

    private mutating func webLink(
        start: Int, schemeEnd: Int, afterColon: Int, form: Defang.Kind?, refanged: StaticString?
    ) -> Int? {
        var hostStart = afterColon
        if form != .colonSlashSlash {
            while hostStart < bytes.count, hostStart - afterColon < 3,
                  bytes[hostStart] == UInt8(ascii: "/") || bytes[hostStart] == UInt8(ascii: "\\") {
                hostStart += 1
            }
            // "http:" followed by a word is prose, not a link.
            guard hostStart > afterColon else { return nil }
        }
        let (end, defanged) = urlEnd(from: hostStart, opener: start > 0 ? bytes[start - 1] : 0)
        guard end > hostStart else { return afterColon }
        emit(start: start, end: end, schemeRange: start..<schemeEnd, refangedScheme: refanged, addScheme: false,
             defanged: defanged || form != nil)
        return end
    }

    private mutating func otherScheme(start: Int, schemeEnd: Int, afterColon: Int, form: Defang.Kind?) -> Int? {
        let hasSlashes = form == .colonSlashSlash
            || (afterColon + 1 < bytes.count && bytes[afterColon] == UInt8(ascii: "/")
                && bytes[afterColon + 1] == UInt8(ascii: "/"))
        guard (hasSlashes && schemeEnd - start >= 2)
            || Schemes.isOpaqueLink(schemeAt: start..<schemeEnd, bytes, after: afterColon)
        else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<schemeEnd]), as: UTF8.self).lowercased()
        let end = max(urlEnd(from: afterColon, opener: start > 0 ? bytes[start - 1] : 0).end, afterColon)
        floor = end
        if end - start > URLExtractor.maxURLBytes {
            appendOverlong(start: start, end: end)
        } else {
            candidates.append(source: .line, range: start..<end, column: start + 1, rejection: Schemes.rejection(for: name))
        }
        return end
    }

    // MARK: - Hosts without a scheme

    /// Handles a dot (or a defanged one) at `dot`: a `www.` host, a known platform's host, or a defanged
    /// host. Returns where to resume; on no match, the end of the host-like run, so that it is not scanned again.
    mutating func schemelessHost(dotAt dot: Int, length: Int) -> Int? {
        let n = bytes.count
        guard dot > floor, dot + length < n, ASCIISet.hostChar.contains(bytes[dot - 1]),
              ByteClass.isAlphanumeric(bytes[dot + length]) || length > 1 else { return nil }
        var start = dot
        while start > floor, ASCIISet.hostChar.contains(bytes[start - 1]) { start -= 1 }
        // Scan the whole host, across defanged dots, before deciding.
        var end = dot
        var defanged = false
        while end < n {
            let byte = bytes[end]
            if ASCIISet.hostChar.contains(byte) {
                end += 1
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "{"),
                      let found = Defang.match(bytes, at: end), found.kind == .dot {
                defanged = true
                end += found.length
            } else {
                break
            }
        }
        // A sentence may end right after the host.
        var hostEnd = end
        while hostEnd > dot, bytes[hostEnd - 1] == UInt8(ascii: ".") || bytes[hostEnd - 1] == UInt8(ascii: "-")
            || bytes[hostEnd - 1] == UInt8(ascii: "_") {
            hostEnd -= 1
        }
        if start > 0, ASCIISet.notBeforeHost.contains(bytes[start - 1]) { return end }
        if end < n, bytes[end] == UInt8(ascii: "@") { return end }
        guard isLinkHost(start..<hostEnd, defanged: defanged) else { return end }

        var linkEnd = hostEnd
        if hostEnd < n {
            let next = bytes[hostEnd]
            if next == UInt8(ascii: "/") || next == UInt8(ascii: "?") || next == UInt8(ascii: "#")
                || (next == UInt8(ascii: ":") && hostEnd + 1 < n && ByteClass.isDigit(bytes[hostEnd + 1])) {
                let path = urlEnd(from: hostEnd, opener: start > 0 ? bytes[start - 1] : 0)
                linkEnd = path.end
                defanged = defanged || path.defanged
            }
        }
        emit(start: start, end: linkEnd, schemeRange: nil, refangedScheme: nil, addScheme: true, defanged: defanged)
        return linkEnd
    }

    /// True for `www.` hosts, hosts of known platforms, and hosts with a defanged dot and a letter TLD.
    private func isLinkHost(_ host: Range<Int>, defanged: Bool) -> Bool {
        if !defanged {
            if ByteClass.matches(bytes, "www.", at: host.lowerBound), host.count > 4,
               bytes[(host.lowerBound + 4)..<host.upperBound].contains(UInt8(ascii: ".")) {
                return true
            }
            return knownDomains.containsSuffix(of: bytes, host)
        }
        var refanged: [UInt8] = []
        var notes: [String] = []
        Defang.appendRefanged(bytes, host, to: &refanged, notes: &notes)
        return refanged.withUnsafeBufferPointer { plain in
            let all = 0..<plain.count
            if knownDomains.containsSuffix(of: plain, all) { return true }
            guard let lastDot = plain.lastIndex(of: UInt8(ascii: ".")), lastDot > 0 else { return false }
            let tld = plain[(lastDot + 1)...]
            return tld.count >= 2 && tld.allSatisfy(ByteClass.isLetter)
        }
    }

    // MARK: - Where a URL ends

    /// The end of a URL body starting at `start`: at whitespace, a byte that cannot be in a URL,
    /// a closing bracket with no opening one, bad UTF-8 or NUL; then without trailing punctuation.
    /// `opener` is the byte before the URL: a URL opened by `'` also ends at `'`.
    func urlEnd(from start: Int, opener: UInt8) -> (end: Int, defanged: Bool) {
        let n = bytes.count
        var i = start
        var parentheses = 0
        var brackets = 0
        var braces = 0
        var defanged = false
        scan: while i < n {
            i = ByteSearch.nextURLSpecial(in: bytes, from: i)
            guard i < n else { break }
            let byte = bytes[i]
            if byte >= 0x80 {
                let decoded = UTF8Scan.decode(bytes, at: i)
                if decoded.length == 0 || UTF8Scan.endsURL(decoded.scalar) { break }
                i += decoded.length
                continue
            }
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                if let found = Defang.match(bytes, at: i) {
                    defanged = true
                    i += found.length
                    continue
                }
                if byte == UInt8(ascii: "(") { parentheses += 1 }
                else if byte == UInt8(ascii: "[") { brackets += 1 }
                else { braces += 1 }
            case UInt8(ascii: ")"):
                if parentheses == 0 { break scan }
                parentheses -= 1
            case UInt8(ascii: "]"):
                if brackets == 0 { break scan }
                brackets -= 1
            case UInt8(ascii: "}"):
                if braces == 0 { break scan }
                braces -= 1
            case UInt8(ascii: "'"):
                if opener == UInt8(ascii: "'") { break scan }
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                // "a.com/x,https://b.com/y": two links glued by a list separator.
                if startsWebScheme(at: i + 1) { break scan }
            default:
                // Controls, space, DEL, `"`, `<`, `>` and backtick never occur in a URL as written.
                break scan
            }
            i += 1
        }
        while i > start, ASCIISet.trailingPunctuation.contains(bytes[i - 1]) { i -= 1 }
        return (i, defanged)
    }

    private func startsWebScheme(at offset: Int) -> Bool {
        ByteClass.matches(bytes, "http://", at: offset) || ByteClass.matches(bytes, "https://", at: offset)
            || ByteClass.matches(bytes, "hxxp://", at: offset) || ByteClass.matches(bytes, "hxxps://", at: offset)
    }

    // MARK: - Building the candidate

    /// What a URL written without a scheme gets.
    private static let addedScheme: [UInt8] = Array("https://".utf8)

    /// Appends the candidate for `bytes[start..<end]`: refanged, with a scheme, unwrapped.
    private mutating func emit(
        start: Int, end: Int, schemeRange: Range<Int>?, refangedScheme: StaticString?, addScheme: Bool, defanged: Bool
    ) {
        floor = end
        let length = end - start
        if length > URLExtractor.maxURLBytes {
            appendOverlong(start: start, end: end)
            return
        }
        var notes: [String] = []
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        // The text is a slice of the line unless something had to be changed.
        var source = CandidateSpan.Source.line
        var range = start..<end
        if refangedScheme != nil || defanged {
            var output: [UInt8] = []
            output.reserveCapacity(length + 8)
            var bodyStart = start
            if let refangedScheme, let schemeRange {
                output.append(contentsOf: UnsafeBufferPointer(start: refangedScheme.utf8Start, count: refangedScheme.utf8CodeUnitCount))
                if keepsNotes {
                    notes.append("refanged " + String(decoding: UnsafeBufferPointer(rebasing: bytes[schemeRange]), as: UTF8.self))
                }
                bodyStart = schemeRange.upperBound
            }
            if addScheme { output.append(contentsOf: Self.addedScheme) }
            Defang.appendRefanged(bytes, bodyStart..<end, to: &output, notes: &notes)
            if addScheme && keepsNotes { notes.append("scheme added") }
            source = .scratch
            range = scratch.count..<(scratch.count + output.count)
            output.withUnsafeBufferPointer { scratch.append($0) }
        } else if addScheme {
            source = .scratch
            let scratchStart = scratch.count
            scratch.append("https://")
            scratch.append(raw)
            range = scratchStart..<scratch.count
            if keepsNotes { notes.append("scheme added") }
        }
        let text = source == .line ? raw : scratch[range]
        if unwrapsWrappers, let unwrapped = RedirectWrappers.unwrapAll(text, notes: &notes) {
            source = .scratch
            range = scratch.count..<(scratch.count + unwrapped.count)
            unwrapped.withUnsafeBufferPointer { scratch.append($0) }
        }
        if !keepsNotes { notes.removeAll() }
        candidates.append(source: source, range: range, column: start + 1, notes: notes)
    }

    /// A rejected candidate for a URL over the limit; its text is cut, since nothing will parse it.
    private mutating func appendOverlong(start: Int, end: Int) {
        let shown = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(start + 200)]), as: UTF8.self) + "…"
        let scratchStart = scratch.count
        scratch.append(utf8Of: shown)
        candidates.append(
            source: .scratch, range: scratchStart..<scratch.count, column: start + 1, notes: ["text cut to its first 200 bytes"],
            rejection: "URL is \(end - start) bytes long; the limit is \(URLExtractor.maxURLBytes)")
    }
}
