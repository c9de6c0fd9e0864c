// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Narvaro",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "narvaro", targets: ["narvaro"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .target(name: "CLI", dependencies: [
            "Workflow", "Forms", "Programme",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "narvaro", dependencies: ["CLI"]),
        .testTarget(name: "ProgrammeTests", dependencies: ["Programme"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Programme"]),
    ],
    swiftLanguageModes: [.v6]
)
