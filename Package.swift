// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "deploysh",
    products: [.executable(name: "deploysh", targets: ["deploysh"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        /** libedit, through a header-only shim of non-variadic wrappers */
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        /** The engine: flake config, selection, plans, nix and ssh; no terminal I/O */
        .target(
            name: "DeployKit",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            // The on-target program, compiled into the binary: deploysh stays one file.
            resources: [.embedInCode("Activation/activator.sh"), .embedInCode("Activation/activator-boot.sh")],
            swiftSettings: strictSettings
        ),
        /** The command language: lexer, parser, commands, session, renderers */
        .target(
            name: "DeployShell",
            dependencies: ["DeployKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        /** The executable: flags, REPL on libedit, SIGINT */
        .executableTarget(
            name: "deploysh",
            dependencies: [
                "DeployShell", "CEditLine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        /** Shared helpers for tests: the testbed, fixtures, a recording runner for small tests */
        .target(
            name: "DeployTestSupport",
            dependencies: ["DeployKit", "DeployShell"],
            path: "Tests/DeployTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "DeployKitTests", dependencies: ["DeployKit", "DeployTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "DeployShellTests",
            dependencies: ["DeployShell", "DeployTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["DeployShell", "DeployTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
