/// Reads the time a report was made, as spreadsheets and forms write it.
///
/// Accepted: ISO 8601 (`2026-11-02T09:14:00Z`, `2026-11-02 09:14`, `2026-11-02`,
/// with fractions of a second and `Z`, `UTC`, `+01:00` or `+0100`), and UK
/// day-first dates (`02/11/2026 09:14`, `2.11.2026`). A time without a zone is
/// taken as UTC; a date without a time is midnight UTC.
public enum ReportedTime {
    /// Seconds since 1970 UTC for `text`, or nil when it is not a date this reads.
    public static func parse(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let first = scanner.number(maxDigits: 4) else { return nil }
        let year: Int, month: Int, day: Int
        if first.digits == 4, scanner.take(UInt8(ascii: "-")) {
            guard let m = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: "-")),
                  let d = scanner.number(maxDigits: 2) else { return nil }
            (year, month, day) = (first.value, m.value, d.value)
        } else if first.digits <= 2, let separator = scanner.peek(),
                  separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") {
            scanner.position += 1
            guard let m = scanner.number(maxDigits: 2), scanner.take(separator),
                  let y = scanner.number(maxDigits: 4), y.digits == 4 else { return nil }
            (year, month, day) = (y.value, m.value, first.value)
        } else {
            return nil
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var seconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
        var rest = scanner
        rest.skipSpaces()
        if rest.atEnd { return seconds }
        if scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: " ")) {
            scanner.skipSpaces()
            guard let hour = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: ":")),
                  let minute = scanner.number(maxDigits: 2) else { return nil }
            var second = 0
            if scanner.take(UInt8(ascii: ":")) {
                guard let s = scanner.number(maxDigits: 2) else { return nil }
                second = s.value
                if scanner.take(UInt8(ascii: ".")) || scanner.take(UInt8(ascii: ",")) {
                    guard scanner.number(maxDigits: 9) != nil else { return nil }
                }
            }
            guard hour.value < 24, minute.value < 60, second <= 60 else { return nil }
            seconds += Int64(hour.value * 3600 + minute.value * 60 + second)
            scanner.skipSpaces()
            guard let offset = scanner.zoneOffset() else { return nil }
            seconds -= Int64(offset)
        }
        scanner.skipSpaces()
        return scanner.atEnd ? seconds : nil
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: - Scanning

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            position += 1
            return true
        }

        mutating func skipSpaces() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
        }

        /// One to `maxDigits` decimal digits.
        mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0
            var digits = 0
            while digits < maxDigits, let byte = peek(), byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                position += 1
            }
            return digits == 0 ? nil : (value, digits)
        }

        /// Seconds east of UTC: nothing, `Z`, `UTC`, `GMT`, `+HH`, `+HH:MM`, `+HHMM`; nil when malformed.
        mutating func zoneOffset() -> Int? {
            guard let byte = peek() else { return 0 }
            if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
                position += 1
                return 0
            }
            let rest = String(decoding: bytes[position...], as: UTF8.self).uppercased()
            if rest.hasPrefix("UTC") || rest.hasPrefix("GMT") {
                position += 3
                if peek() == nil || peek() == 0x20 { return 0 }
            }
            guard let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                return peek() == nil ? 0 : nil
            }
            position += 1
            guard let hours = number(maxDigits: 2), hours.digits == 2 else { return nil }
            var minutes = 0
            if take(UInt8(ascii: ":")) || peek().map({ $0 >= 0x30 && $0 <= 0x39 }) == true {
                guard let m = number(maxDigits: 2), m.digits == 2 else { return nil }
                minutes = m.value
            }
            guard hours.value <= 14, minutes < 60 else { return nil }
            let offset = hours.value * 3600 + minutes * 60
            return sign == UInt8(ascii: "-") ? -offset : offset
        }
    }
}
