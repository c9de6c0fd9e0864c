import Foundation
import Testing
import TestSupport
@testable import Workflow

/// The report evaluated on several threads (each with its own accumulator, merged at the end) must
/// be exactly the report evaluated on one, however the cases are shared out.
@Suite("Parallel accumulation")
struct ParallelAccumulatorTests {
    static func report(threads: Int, chunk: Int, filter: FidelityAggregate.Filter = .init()) throws -> Data {
        let parallel = FidelityAggregate.ParallelAccumulator(threads: threads) { evaluator in
            FidelityAggregate.Accumulator(asOf: Cohort.asOf, filter: filter, attendance: CohortAttendance(), evaluator: evaluator)
        }
        let cases = try Cohort.cases()
        for start in stride(from: 0, to: cases.count, by: chunk) {
            parallel.add(Array(cases[start..<min(cases.count, start + chunk)]))
        }
        let report = try #require(parallel.finish())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(report)
    }

    @Test(arguments: [(2, 30), (3, 7), (4, 1), (8, 5)])
    func severalThreadsGiveTheReportOneGives(threads: Int, chunk: Int) throws {
        let one = try Self.report(threads: 1, chunk: 30)
        #expect(try Self.report(threads: threads, chunk: chunk) == one)
        let school = FidelityAggregate.Filter(school: Cohort.schools[1])
        #expect(try Self.report(threads: threads, chunk: chunk, filter: school) == (try Self.report(threads: 1, chunk: 30, filter: school)))
    }

    @Test func theMedianOfCountedValuesIsTheMedianOfTheValues() {
        var random = SplitMix(seed: 2026)
        for _ in 0..<300 {
            let values = (0..<Int.random(in: 0...40, using: &random)).map { _ in Int.random(in: 0...12, using: &random) }
            var counts: [Int: Int] = [:]
            for v in values { counts[v, default: 0] += 1 }
            let sorted = values.sorted()
            let expected: Double? = sorted.isEmpty ? nil
                : sorted.count % 2 == 1 ? Double(sorted[sorted.count / 2]) : Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            #expect(FidelityAggregate.median(counts: counts) == expected, "\(sorted)")
        }
    }
}
