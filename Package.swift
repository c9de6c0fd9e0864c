// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Narvaro",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "narvaro", targets: ["narvaro"]),
        // Libraries for the separate benchmark package (Benchmarks/); the tool itself is `narvaro`.
        .library(name: "Programme", targets: ["Programme"]),
        .library(name: "Forms", targets: ["Forms"]),
        .library(name: "Workflow", targets: ["Workflow"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "Programme", dependencies: ["CLibXML2"]),
        .target(name: "Forms", dependencies: ["Programme"]),
        .target(name: "Workflow", dependencies: ["Forms", "Programme"]),
        .target(name: "Store", dependencies: [
            "Workflow",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Report", dependencies: [
            "Workflow", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "CLI", dependencies: [
            "Report", "Store", "Workflow", "Forms", "Programme",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "narvaro", dependencies: ["CLI"]),
        // Shared by the test targets: the package's files and a seeded random generator.
        .target(name: "TestSupport", dependencies: ["Programme"], path: "Tests/TestSupport"),
        .testTarget(name: "ProgrammeTests", dependencies: ["Programme"], exclude: ["Fixtures"]),
        .testTarget(name: "FormsTests", dependencies: [
            "Forms", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Workflow", "Forms", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: [
            "Report", "Workflow", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Programme", "narvaro"]),
    ],
    swiftLanguageModes: [.v6]
)
