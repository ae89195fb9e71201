import Testing
@testable import TriageKit

@Test func versionIsSet() { #expect(!TriageKit.version.isEmpty) }
