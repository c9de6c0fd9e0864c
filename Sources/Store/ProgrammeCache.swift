import Workflow

/// Programme versions by content hash, loaded once per process.
final class ProgrammeCache: @unchecked Sendable {
    // @unchecked Sendable: the dictionary is only touched under `mutex`.
    private let mutex = Mutex()
    private var programmes: [String: Programme] = [:]

    func programme(hash: String, load: () throws -> [UInt8]?) throws -> Programme {
        if let cached = mutex.withLock({ programmes[hash] }) { return cached }
        guard let source = try load() else { throw StoreError.programmeMissing(hash: hash) }
        switch ProgrammeLoader.load(bytes: source, file: "programme \(hash.prefix(12))") {
        case .success(let loaded):
            mutex.withLock { programmes[hash] = loaded.programme }
            return loaded.programme
        case .failure(let error):
            throw StoreError.programmeInvalid(error.diagnostics)
        }
    }
}

/// The last known state of each case in this process, so that a command does not replay the log
/// when nothing else has written since.
final class StateCache: @unchecked Sendable {
    // @unchecked Sendable: the dictionary is only touched under `mutex`.
    private let mutex = Mutex()
    private var states: [String: (state: CaseState, lastHash: String)] = [:]

    func get(_ code: String, version: Int) -> (state: CaseState, lastHash: String)? {
        mutex.withLock {
            guard let entry = states[code], entry.state.version == version else { return nil }
            return entry
        }
    }

    /// As `get`, but removes the entry: the caller then holds the only copy and can change it in place.
    func take(_ code: String, version: Int) -> (state: CaseState, lastHash: String)? {
        mutex.withLock {
            guard let entry = states[code], entry.state.version == version else { return nil }
            return states.removeValue(forKey: code)
        }
    }

    func set(_ code: String, state: CaseState, lastHash: String) {
        mutex.withLock { states[code] = (state, lastHash) }
    }
}
