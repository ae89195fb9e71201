/// Content patterns must match the whole path or value: `^/@(?<user>…)$`.
///
/// Without `^` a path pattern also matches `/anything/@user`; without `$` it
/// also matches `/@user/video/123`, so a profile rule quietly takes videos.
enum AnchorCheck {
    /// What is missing, in words, or nil when the pattern is anchored at both ends.
    static func problem(_ source: String) -> String? {
        let (start, end): (Bool, Bool)
        if let sketch = RegexSketch.parse(source) {
            (start, end) = (sketch.isAnchoredAtStart, sketch.isAnchoredAtEnd)
        } else {
            // The sketch gives up on rare constructs; the plain text still tells most cases.
            (start, end) = (source.hasPrefix("^") || source.hasPrefix("\\A"),
                            (source.hasSuffix("$") && !source.hasSuffix("\\$")) || source.hasSuffix("\\z"))
        }
        switch (start, end) {
        case (true, true): return nil
        case (false, true): return "not anchored at the start with '^'"
        case (true, false): return "not anchored at the end with '$'"
        case (false, false): return "not anchored with '^' and '$'"
        }
    }
}
