import Foundation
import GRDB
import Workflow

/// A programme version kept in the store.
public struct RegisteredProgramme: Hashable, Sendable {
    public var id: String
    public var version: String
    public var hash: String
    public var registeredAt: String
}

extension CaseStore {
    /// Registers a programme file's exact bytes (once per content hash), so that cases pinned to it
    /// can be replayed even after the file on disk changes or disappears.
    @discardableResult
    public func register(source: [UInt8], file: String, recordedAt: String) throws(StoreError) -> (RegisteredProgramme, isNew: Bool) {
        let programme: Programme
        switch ProgrammeLoader.load(bytes: source, file: file) {
        case .success(let loaded): programme = loaded.programme
        case .failure(let error): throw StoreError.programmeInvalid(error.diagnostics)
        }
        let hash = EventHash.sha256(source)
        do {
            return try write { db in
                if let existing = try Row.fetchOne(db, sql: "SELECT id, version, registered_at FROM programmes WHERE hash = ?", arguments: [hash]) {
                    return (RegisteredProgramme(id: existing["id"], version: existing["version"], hash: hash, registeredAt: existing["registered_at"]), false)
                }
                try db.execute(
                    sql: "INSERT INTO programmes (hash, id, version, source, registered_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [hash, programme.id, programme.version, Data(source), recordedAt])
                return (RegisteredProgramme(id: programme.id, version: programme.version, hash: hash, registeredAt: recordedAt), true)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    /// Every registered programme version, oldest first.
    public func registeredProgrammes() throws(StoreError) -> [RegisteredProgramme] {
        do {
            return try read { db in
                try Row.fetchAll(db, sql: "SELECT id, version, hash, registered_at FROM programmes ORDER BY registered_at, rowid").map {
                    RegisteredProgramme(id: $0["id"], version: $0["version"], hash: $0["hash"], registeredAt: $0["registered_at"])
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    /// The programme with this content hash.
    public func programme(hash: String) throws(StoreError) -> Programme {
        do {
            return try read { db in try programme(hash: hash, db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database("\(error)")
        }
    }

    /// The programme with this content hash, loaded from the store once per process, in `db`'s read.
    func programme(hash: String, _ db: Database) throws -> Programme {
        try programmes.programme(hash: hash) {
            try Data.fetchOne(db, sql: "SELECT source FROM programmes WHERE hash = ?", arguments: [hash]).map { [UInt8]($0) }
        }
    }

    /// The newest registered version of programme `id`, or the only programme when `id` is nil.
    func latestProgramme(_ id: String?) throws(StoreError) -> RegisteredProgramme {
        let all = try registeredProgrammes()
        let ids = Array(Set(all.map(\.id))).sorted()
        guard let id = id ?? (ids.count == 1 ? ids[0] : nil) else {
            throw StoreError.unknownProgramme(id ?? "?", registered: ids)
        }
        guard let latest = all.last(where: { $0.id == id }) else { throw StoreError.unknownProgramme(id, registered: ids) }
        return latest
    }
}
