import Foundation
import Programme

/// What several test targets share: the package's own files, and a seeded random generator.
public enum PackageFiles {
    /// The package's root folder (this file is `Tests/TestSupport/TestSupport.swift`).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A programme shipped in `programmes/`, loaded or the test run stops with its diagnostics.
    public static func shippedProgramme(_ file: String = "hsp.xml") -> Programme {
        let path = root.appendingPathComponent("programmes/\(file)").path
        switch ProgrammeLoader.load(path: path) {
        case .success(let loaded): return loaded.programme
        case .failure(let error): fatalError("programmes/\(file) does not load: \(error.diagnostics.map { $0.rendered(.en) })")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that a failing seed can be replayed.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
