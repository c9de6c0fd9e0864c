import Forms
import Foundation
@testable import Store
import TestSupport
import Testing
@testable import Workflow

/// The store's own canonical JSON must write exactly what Foundation's `JSONEncoder` with sorted keys
/// and unescaped slashes writes: stores made before it hold those bytes, and hashes cover them.
@Suite struct CanonicalJSONTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Every control character, quotes, slashes, non-ASCII and a line separator.
    static let awkward = String((0..<0x20).map { Character(Unicode.Scalar($0)) }) + "\"\\/\u{7F}åäö Ö 😀\u{2028}\u{2029}'<>&"

    static func events(_ text: String) -> [CaseEvent] {
        let day = Day(ISODate.dayNumber("2026-11-22")!)
        let answers: FormAnswers = [
            "b": .text(text), "a10": .number(1.0), "a9": .number(0.1), "B": .number(1e20), "_x": .number(-0.0),
            "é": .number(1e-7), "z": .bool(true), "list": .list([text, "x"]), "n": .number(123_456_789.125),
            "rows": .rows([["k": .text(text), "j": .number(3)], [:]]),
        ]
        let facts = SessionFacts(minutes: 45, start: "09:30", place: .hem, participants: ["elev", text], bothPractitioners: false, cancelledBy: nil)
        return [
            .caseOpened(CaseOpened(code: "HSP-2026-0001", programmeID: "hsp", programmeVersion: "1.0", programmeHash: text, school: text, grade: 8, referredBy: .eht, on: day)),
            .phaseEntered(phase: text, on: day),
            .stepCompleted(StepCompleted(
                step: "s", occurrence: 2, on: day, forms: [FormSubmission(form: "f", answers: answers, scores: ["total": "12", text: "x"])],
                session: facts, checklist: ["b": .delivered, "a": .notApplicable, text: .notDelivered], deviation: text, sessionID: nil)),
            .stepCompleted(StepCompleted(step: "s", occurrence: 1, on: day, forms: [], session: nil, checklist: [:], deviation: nil, sessionID: "x")),
            .stepSkipped(step: "s", on: day, reason: text),
            .gateOverridden(phase: "p", unmet: [text, "b", "a"], on: day, reason: text),
            .casePaused(on: day, reason: text), .caseResumed(on: day), .caseClosed(on: day, reason: .consentWithdrawn),
            .staffAssigned(role: "r", person: text, on: day), .staffUnassigned(role: "r", person: text, on: day),
            .consentRecorded(ConsentGiven(consent: "c", givenBy: "elev", validFrom: day, validUntil: nil, on: day)),
            .consentRecorded(ConsentGiven(consent: "c", givenBy: "elev", validFrom: day, validUntil: day, on: day)),
            .consentRevoked(consent: text, on: day), .concernReported(on: day),
            .sessionStarted(SessionStarted(session: text, step: "s", occurrence: 1, on: day)),
            .answerRecorded(AnswerRecorded(session: "s", form: "f", field: "x", value: .rows([["a": .list([])]]))),
            .answerRecorded(AnswerRecorded(session: "s", form: "f", field: "x", value: nil)),
            .sessionFactsRecorded(session: "s", facts: facts), .sessionFactsRecorded(session: "s", facts: SessionFacts()),
            .checklistMarked(session: "s", item: text, mark: .delivered), .sessionPaused(session: "s", on: day),
            .sessionCancelled(session: "s", on: day, by: .familj),
        ]
    }

    @Test func everyEventKindIsWrittenAsFoundationWritesIt() throws {
        for event in Self.events(Self.awkward) {
            let ours = try CanonicalJSONEncoder.encode(event)
            #expect(ours == (try Self.foundation(event)), "\(event.type)")
            #expect(try JSONDecoder().decode(CaseEvent.self, from: Data(ours.utf8)) == event)
        }
    }

    @Test func randomTextAndNumbersAreWrittenAsFoundationWritesThem() throws {
        var rng = SplitMix(seed: 20261123)
        let alphabet = Array(Self.awkward) + Array("abcXYZ019-_:.,{}[] ")
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let number = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &rng) ? 1 : -1)
            let value = AnswerRecorded(session: text, form: "f", field: text, value: .rows([[text: .number(number), "k": .number(Double(Int.random(in: -1000...1000, using: &rng)) / 8)]]))
            let event = CaseEvent.answerRecorded(value)
            #expect(try CanonicalJSONEncoder.encode(event) == (try Self.foundation(event)))
        }
    }

    @Test func infiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder.encode([Double.infinity]) }
        #expect(throws: EncodingError.self) { try CanonicalJSONEncoder.encode(["x": Double.nan]) }
    }
}

/// The store's own JSON reader gives back exactly what was written, by it or by Foundation.
@Suite struct EventJSONDecoderTests {
    @Test func everyEventKindReadsBackAsItWasWritten() throws {
        for event in CanonicalJSONTests.events(CanonicalJSONTests.awkward) + CanonicalJSONTests.events("") {
            let ours = try CanonicalJSONEncoder.encode(event)
            #expect(try EventJSONDecoder.decode(CaseEvent.self, from: ours) == event, "\(event.type)")
            let pretty = JSONEncoder()
            pretty.outputFormatting = [.prettyPrinted]
            let theirs = String(decoding: try pretty.encode(event), as: UTF8.self)
            #expect(try EventJSONDecoder.decode(CaseEvent.self, from: theirs) == event, "\(event.type), Foundation's pretty JSON")
        }
    }

    @Test func escapesAndNumbersReadAsFoundationReadsThem() throws {
        let text = #"{"a":"\u00e5\ud83d\ude00\/\b\f\n\r\t\"\\","b":[1,-2.5,3e2,0.1,-0],"c":true,"d":null,"e":{}}"#
        struct Sample: Decodable, Equatable {
            var a: String
            var b: [Double]
            var c: Bool
            var d: Int?
            var e: [String: Int]
        }
        let ours = try EventJSONDecoder.decode(Sample.self, from: text)
        let theirs = try JSONDecoder().decode(Sample.self, from: Data(text.utf8))
        #expect(ours == theirs)
        #expect(ours.a == "å😀/\u{8}\u{c}\n\r\t\"\\")
    }

    @Test(arguments: [
        "", "{", "{\"type\":}", "{\"type\":\"caseResumed\",\"on\":\"2026-11-22\"", "[1,2", "\"open", "{\"a\" 1}", "tru", "{\"a\":1}x",
        "{\"type\":\"caseResumed\",\"on\":17}", "{\"type\":\"nosuchevent\"}", "\"\\ud800\"", "\"\\x\"", "\"a\u{1}b\"",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ])
    func malformedJSONIsAnErrorNotACrash(_ text: String) {
        #expect(throws: (any Error).self) { try EventJSONDecoder.decode(CaseEvent.self, from: text) }
    }
}
