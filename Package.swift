// swift-tools-version: 6.2
import Foundation
import PackageDescription

// Strict settings for every target, in one place (as swift-log does).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

var package = Package(
    name: "urltriage",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TriageKit", targets: ["TriageKit"]),
        .executable(name: "urltriage", targets: ["urltriage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The web app (`urltriage serve`).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The case store on PostgreSQL (`--db postgres://…`), linked only by TriagePostgres.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // libidn2: not linked into the engine (IDNA.swift does UTS #46 itself),
        // only the tests' second opinion on domain to ASCII.
        .systemLibrary(
            name: "CIDN2",
            pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Two memory helpers Swift lacks: a cache prefetch and mremap.
        .target(name: "CMemory"),
        .target(
            name: "TriageKit",
            dependencies: [
                "CPCRE2", "CCurl", "CMemory",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // The case store (SQLite through GRDB) in a module of its own: GRDB's SQL
        // operators (`==`, `||` on expressions) would otherwise be candidates in
        // every comparison the engine's code makes, and type-checking gives up.
        .target(
            name: "TriageStore",
            dependencies: [
                "TriageKit",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The case store on PostgreSQL: the same store calls as TriageStore's, through
        // postgres-nio, in a module of its own so only what opens a PostgreSQL store links it.
        .target(
            name: "TriagePostgres",
            dependencies: [
                "TriageKit", "TriageStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The caseworker web app: pages over the same TriageKit/TriageStore calls
        // the commands make.
        .target(
            name: "TriageWeb",
            dependencies: [
                "TriageKit", "TriageStore", "TriagePostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "urltriage",
            dependencies: [
                "TriageKit", "TriageStore", "TriageWeb", "TriagePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // A local server that imitates platforms by Host header, for the
        // liveness tests, the benchmarks and the README's demo; loopback only.
        .target(
            name: "TriageTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "urltriage-testserver",
            dependencies: ["TriageTestServer"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TriageKitTests",
            dependencies: ["TriageKit", "TriageStore", "TriagePostgres", "TriageTestServer", "CIDN2"],
            // Rule files the tests read from disk, not sources.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        // Router tests of the web app, apart so the engine's tests don't link a
        // web server and each suite builds and filters on its own.
        .testTarget(
            name: "TriageWebTests",
            dependencies: [
                "TriageWeb", "TriageKit", "TriageStore", "TriagePostgres", "TriageTestServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Benchmarks pull in package-benchmark and its allocator hooks; a plain build
// and CI's test run stay light unless URLTRIAGE_BENCHMARKS is set.
if ProcessInfo.processInfo.environment["URLTRIAGE_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1",
                 traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "TriageBenchmarks",
            dependencies: [
                "TriageKit",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/TriageBenchmarks",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ))
}

// Fuzz targets (Fuzz/README.md): libFuzzer executables built only when
// URLTRIAGE_FUZZ is set, by `.ci/fuzz` with the fuzzer and address sanitizers.
if ProcessInfo.processInfo.environment["URLTRIAGE_FUZZ"] != nil {
    package.targets.append(
        .target(name: "FuzzSupport", dependencies: ["TriageKit"], path: "Fuzz/Sources/FuzzSupport"))
    for name in ["FuzzExtract", "FuzzURL", "FuzzIDNA", "FuzzUnwrap", "FuzzReports",
                 "FuzzRules", "FuzzVerdict", "FuzzDates", "FuzzNormalize"] {
        package.targets.append(
            .executableTarget(name: name, dependencies: ["FuzzSupport", "TriageKit"], path: "Fuzz/Sources/\(name)"))
    }
}
