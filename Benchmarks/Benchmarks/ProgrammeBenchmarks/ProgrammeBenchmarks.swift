import Benchmark
import Foundation
import Programme

/// Loading and validating a programme in-process: read bytes → secure parse → XSD → model →
/// semantic checks (every expression compiled). Target: ≤ 3 ms for programmes/hsp.xml.
let benchmarks: @Sendable () -> Void = {
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for name in ["hsp", "processledare"] {
        let url = root.appendingPathComponent("programmes/\(name).xml")
        guard let data = try? Data(contentsOf: url) else { fatalError("cannot read \(url.path)") }
        let bytes = [UInt8](data)
        guard case .success = ProgrammeLoader.load(bytes: bytes, file: "\(name).xml") else { fatalError("\(name).xml does not load") }
        Benchmark(
            "load + validate \(name).xml",
            configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(3))
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ProgrammeLoader.load(bytes: bytes, file: "\(name).xml"))
            }
        }
    }
}
