import GRDB
import Workflow

extension CaseStore {
    /// Many commands in one transaction, for work that makes many events at once (the benchmarks'
    /// drive; an import or a generated cohort): each command is decided, checked and hash-chained
    /// exactly as on its own, but the writer lock is taken and the log is synced once for them all.
    ///
    /// A refused command (the engine says no, a version conflict, an unknown case) writes nothing and
    /// `body` may go on. Any other failure spoils the batch: if `body` throws, or any command failed
    /// for another reason (even one `body` caught), nothing of the batch is kept. Interactive work (a guided
    /// session) must not use a batch: there every answer is committed the moment it is given.
    public func batch<T>(_ body: (Batch) throws(StoreError) -> T) throws(StoreError) -> T {
        var committed: [(code: String, state: CaseState, lastHash: String)] = []
        do {
            let result = try write { db in
                let batch = Batch(store: self, db: db)
                let result = try body(batch)
                if let spoiled = batch.spoiled { throw spoiled }
                committed = batch.written
                for (_, state, lastHash) in committed { try saveSnapshot(state, head: lastHash, db) }
                return result
            }
            for (code, state, lastHash) in committed { states.set(code, state: state, lastHash: lastHash) }
            return result
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The commands of one `batch`, inside its transaction.
    public final class Batch {
        let store: CaseStore
        let db: Database
        /// The cases this batch has written to, as they are now (their events are not committed yet,
        /// so the store's own cache must not see them).
        private var states: [String: CaseState] = [:]
        private var chains: [String: Chain] = [:]
        /// The first failure that may have left a command half-written: the batch is then rolled back.
        private(set) var spoiled: StoreError?

        init(store: CaseStore, db: Database) {
            self.store = store
            self.db = db
        }

        /// Opens a case, as `CaseStore.openCase` does.
        public func openCase(
            programmeID: String?, identity: Identity, school: String, grade: Int, referredBy: ReferralSource, on: Day,
            stamp: Stamp, evaluator: XPathEvaluator? = nil
        ) throws(StoreError) -> CommandOutcome {
            let opening = try store.prepareOpening(programmeID: programmeID, identity: identity)
            return try step {
                try store.openCase(opening, identity: identity, school: school, grade: grade, referredBy: referredBy, on: on, stamp: stamp, evaluator: evaluator, db)
            }
        }

        /// Decides and appends one command, as `CaseStore.execute` does.
        public func execute(
            _ command: CaseCommand, case code: String, stamp: Stamp, expectedVersion: Int? = nil,
            evaluator: XPathEvaluator? = nil, attendance: AttendanceSource? = nil
        ) throws(StoreError) -> CommandOutcome {
            try step {
                var state: CaseState?
                let chain: Chain
                if let known = chains[code] {
                    (state, chain) = (states.removeValue(forKey: code), known)
                } else {
                    (state, chain) = try store.load(code, db)
                }
                defer { if let state { states[code] = state } }
                return try store.execute(command, state: &state, chain: chain, stamp: stamp, expectedVersion: expectedVersion, evaluator: evaluator, attendance: attendance, db)
            }
        }

        /// Every case written to, as it stands now (for the store's cache once the batch commits).
        /// Only the newest state of each case is kept, so that a command can change it in place.
        var written: [(code: String, state: CaseState, lastHash: String)] {
            chains.compactMap { code, chain in states[code].map { (code, $0, chain.lastHash) } }
        }

        private func step(_ body: () throws -> CommandOutcome) throws(StoreError) -> CommandOutcome {
            do {
                if let spoiled { throw spoiled }
                let outcome = try body()
                if let last = outcome.events.last, !outcome.wasRepeat {
                    states[outcome.code] = outcome.state
                    chains[outcome.code] = Chain(lastHash: last.hash, programme: outcome.programme, programmeHash: outcome.state.opened.programmeHash)
                }
                return outcome
            } catch {
                let error = CaseStore.storeError(error)
                switch error {
                case .refused, .versionConflict, .unknownCase: break  // decided before anything was written
                default: if spoiled == nil { spoiled = error }
                }
                throw error
            }
        }
    }

}

/// What both the store and a batch can do: open cases and run commands on them.
public protocol CaseWriter {
    func openCase(
        programmeID: String?, identity: CaseStore.Identity, school: String, grade: Int, referredBy: ReferralSource, on: Day,
        stamp: Stamp, evaluator: XPathEvaluator?
    ) throws(StoreError) -> CommandOutcome

    func execute(
        _ command: CaseCommand, case code: String, stamp: Stamp, expectedVersion: Int?, evaluator: XPathEvaluator?, attendance: AttendanceSource?
    ) throws(StoreError) -> CommandOutcome
}

extension CaseStore: CaseWriter {}
extension CaseStore.Batch: CaseWriter {}
